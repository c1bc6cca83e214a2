/*
 * fileglob.h - file globs as written in cleave.json, matched against
 * '/'-separated paths (the syntax is below, in line comments, because a
 * block comment cannot hold its slash-star sequences).  Both functions are
 * pure and cannot fail (a pattern longer than 128 characters is matched
 * in memory of its own, freed before returning).  Matching takes time
 * proportional to the path's length times the pattern's, however many
 * stars the pattern holds.
 */
// A pattern matches the whole path:
//   *        any run of characters other than '/'
//   ?        one character other than '/'
//   [abc]    one character of the set; ranges "a-z"; "[!...]" or "[^...]"
//            negates; a ']' right after the '[' (or "[!") is literal; a
//            class never matches '/'
//   **       as a whole segment ("**/x", "x/**", "x/**/y" or just "**"):
//            any number of segments, none included, so "src/**/x.c"
//            matches "src/x.c" and "src/a/b/x.c"; elsewhere ("a**b") it
//            is the same as '*'
//   \c       the character c itself
#ifndef CLEAVE_FILEGLOB_H
#define CLEAVE_FILEGLOB_H

/* 1 when path matches pattern, else 0.  A malformed pattern (see
 * fileglob_check) still matches: its stray '[' or '\' stands for itself. */
int fileglob_match(const char *pattern, const char *path);

/* NULL for a well-formed, non-empty pattern, else a static message saying
 * what is wrong ("unterminated '[' in glob"), for configuration errors. */
const char *fileglob_check(const char *pattern);

#endif
