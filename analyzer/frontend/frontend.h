/*
 * frontend.h - the libclang front end: one translation unit in, one facts
 * record out.  libclang types never leave the front end's own files
 * (frontend*.c, libclang.c); libclang itself is loaded on the first
 * frontend_new (libclang.h says what else is known of it).
 *
 * A frontend owns one CXIndex; libclang indexes must not be shared across
 * threads, so a parallel scan makes one frontend per worker.
 */
#ifndef CLEAVE_FRONTEND_H
#define CLEAVE_FRONTEND_H

#include "frontend/facts.h"
#include "frontend/project.h"

typedef struct frontend frontend;

/*
 * Loads libclang on the first call in the process (libclang.h), then makes
 * an index.  Exits with status 4 when libclang cannot be loaded or memory
 * runs out; otherwise never fails.  Free with frontend_free.
 */
frontend *frontend_new(void);
void frontend_free(frontend *fe); /* NULL is a no-op */

/*
 * Parses job and extracts its facts.  Never returns NULL: a TU libclang
 * cannot parse at all comes back with status UNIT_FAILED and its errors;
 * one with errors is parsed as far as clang gets and marked UNIT_PARTIAL.
 * `root` is the absolute project root (files are made relative to it).
 * With `readable` (project.h; NULL: no check), a unit that read a file
 * outside those folders and libclang's own (an #include of an absolute
 * path, of "../../x", or through a symbolic link) is UNIT_FAILED with one
 * error naming the file, and nothing else of it is kept: libclang has
 * read the file by then, so the unit's errors might quote it.  The
 * caller frees the record with facts_free.
 */
facts *frontend_extract(frontend *fe, const project_job *job, const char *root,
                        const strvec *readable);

/*
 * A record of job that could not be parsed: status UNIT_FAILED and the one
 * error "<file>: <why>", the file named as frontend_extract names it
 * (relative to `root` when inside it).  For the front end's own failures
 * and for a unit whose parse never came back (scan/workers.c).  Never
 * fails; the caller frees it with facts_free.
 */
facts *frontend_failed(const project_job *job, const char *root, const char *why);

#endif
