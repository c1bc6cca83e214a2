/*
 * jsonpos.h - JSON with positions: where a value sits in the text (for
 * "<file>:<line>:<col>: <message>" errors about documents cJSON parsed,
 * which keeps no positions), and a pull reader that walks a document
 * without building a tree (for inputs too big for one, like a graph).
 *
 * Positions are byte offsets into the text; text_position (common.h) turns
 * one into a line and column.  Values are addressed by JSON Pointer
 * (RFC 6901): "" is the whole document, "/services/2/name" the member
 * "name" of the third element of "services"; "~1" stands for '/' and "~0"
 * for '~' inside a key (any other '~' for itself).
 *
 * Text is never modified and need not be NUL-terminated: every function
 * takes its length.  Nothing here allocates except the reader's scratch
 * string (freed by jsonpos_reader_free) and the strings jsonpos_error and
 * jsonpos_parse hand back (the caller frees them).
 */
#ifndef CLEAVE_JSONPOS_H
#define CLEAVE_JSONPOS_H

#include <stdarg.h>
#include <stddef.h>
#include <cjson/cJSON.h>

#include "util/common.h"

/*
 * Offset of the value at `pointer`.  Returns 0 when it exists; -1 when it
 * does not (a missing key, an index past the end, a step into a scalar, or
 * malformed text on the way), and then *off is the offset of the deepest
 * value on the path that does exist, so a "missing key" error points at
 * the object lacking it.  Never fails otherwise.
 */
int jsonpos_find(const char *text, size_t len, const char *pointer, size_t *off);

/*
 * "<file>:<line>:<col>: <message>" for the value at `pointer` (or the
 * deepest existing value on its path, as jsonpos_find); message is printf
 * formatted.  The caller frees the result.
 */
char *jsonpos_error(const char *file, const char *text, size_t len, const char *pointer,
                    const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 5, 6)))
#endif
    ;

/* The same for a known offset (text must hold at least off bytes), and
 * its va_list form. */
char *jsonpos_error_at(const char *file, const char *text, size_t off, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;
char *jsonpos_verror_at(const char *file, const char *text, size_t off, const char *fmt,
                        va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 0)))
#endif
    ;

/*
 * cJSON_Parse of strict JSON with a positioned error: the pull reader
 * below checks the text first, so what cJSON alone would take although
 * JSON has no such thing (01, 1., -.5, 1.e5, a number too big for a
 * double, a string that is not UTF-8) is an error too.  Returns the
 * document, or NULL with *err = "<file>:<line>:<col>: malformed JSON:
 * expected ',' or '}'" or the like, placed and worded by the reader (the
 * caller frees *err, and the document with cJSON_Delete).  text must be NUL-terminated at text[len];
 * a UTF-8 byte order mark at its start is skipped.
 */
cJSON *jsonpos_parse(const char *file, const char *text, size_t len, char **err);

/* ---- pull reader ---------------------------------------------------------
 *
 *   jsonpos_reader r;
 *   jsonpos_reader_init(&r, text, len);
 *   if (jsonpos_object(&r) == 0)
 *       while (jsonpos_member(&r, &key, &keylen) == 1)
 *           ... read or jsonpos_skip the value ...
 *   ... jsonpos_finish(&r) ... r.error, r.error_at ...
 *   jsonpos_reader_free(&r);
 *
 * Each read consumes one value.  The first syntax error sticks: it sets
 * r.error (a fixed message) and r.error_at, and every later call returns
 * -1 (or JSONPOS_BAD).  Reads of the wrong type fail the same way with
 * "expected a string" and the like, so callers that want their own message
 * check jsonpos_peek first.
 */
typedef enum jsonpos_type {
    JSONPOS_BAD = 0, /* no value here: end of input or a syntax error */
    JSONPOS_OBJECT,
    JSONPOS_ARRAY,
    JSONPOS_STRING,
    JSONPOS_NUMBER,
    JSONPOS_TRUE,
    JSONPOS_FALSE,
    JSONPOS_NULL
} jsonpos_type;

typedef struct jsonpos_reader {
    const char *text;
    size_t len, pos;   /* pos: the next byte to read */
    int first;         /* the innermost open container has had no item yet */
    const char *error; /* first error, NULL while there is none */
    size_t error_at;   /* its offset */
    strbuf str;        /* the last string or key read, decoded (owned) */
} jsonpos_reader;

/* Starts reading the value at the start of text[0..len). */
void jsonpos_reader_init(jsonpos_reader *r, const char *text, size_t len);
void jsonpos_reader_free(jsonpos_reader *r); /* the scratch string; r itself is the caller's */

/* Type of the next value, after skipping white space: r->pos is then the
 * value's offset.  JSONPOS_BAD when there is none (and error is set). */
jsonpos_type jsonpos_peek(jsonpos_reader *r);

/* Enters an object / array: 0, or -1 when the next value is not one. */
int jsonpos_object(jsonpos_reader *r);
int jsonpos_array(jsonpos_reader *r);
/*
 * Next member of the innermost object: 1 with its key decoded in *key
 * (NUL-terminated, *keylen bytes, valid until the next string is read) and
 * the reader before its value; 0 at the closing brace (consumed); -1 on
 * error.  jsonpos_element is the same for arrays, without a key.
 */
int jsonpos_member(jsonpos_reader *r, const char **key, size_t *keylen);
int jsonpos_element(jsonpos_reader *r);

/* Scalars: 0, or -1 (type mismatch or syntax error).  Strings are decoded
 * into the scratch buffer (NUL-terminated; *s valid until the next string
 * read), always well-formed UTF-8: raw bytes that are not (read or
 * skipped) are an error, as RFC 8259 wants, and so is "\u0000", as C
 * strings cannot carry it. */
int jsonpos_string(jsonpos_reader *r, const char **s, size_t *n);
/* Any number read or skipped must be finite as a double: 1e999 is an
 * error ("number out of range"), never infinity. */
int jsonpos_number(jsonpos_reader *r, double *v);
/* An integer written without fraction or exponent, in [lo, hi]. */
int jsonpos_int(jsonpos_reader *r, long long lo, long long hi, long long *v);
int jsonpos_bool(jsonpos_reader *r, int *v);
int jsonpos_null(jsonpos_reader *r);
/* Skips one value of any type. */
int jsonpos_skip(jsonpos_reader *r);
/* After the top-level value: only white space may follow.  0 or -1. */
int jsonpos_finish(jsonpos_reader *r);

#endif
