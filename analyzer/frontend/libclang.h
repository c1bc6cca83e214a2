/*
 * libclang.h - the libclang installation cleave parses with: loading it,
 * and what the rest of cleave knows of it without seeing its types (the
 * front end's files call it through libclang_api.h's table).  Any stage
 * may include this header.
 *
 * libclang is loaded with dlopen on first use.  Loading libclang and
 * libLLVM costs a process about 20 ms (relocations and static
 * constructors), more than a warm scan takes in all, so commands and
 * scans that parse nothing never load them: of the functions below, only
 * libclang_load, libclang_resource_dir and libclang_version load it.
 */
#ifndef CLEAVE_LIBCLANG_H
#define CLEAVE_LIBCLANG_H

/*
 * Loads libclang and fills libclang_api.h's table, once per process;
 * thread-safe.  A libclang that cannot be loaded, or lacks a function, is
 * a broken installation: the process exits with status 4 after a one-line
 * message naming the library.  No cache entry or output file is being
 * written then, because nothing has been parsed.
 */
void libclang_load(void);

/* The library file libclang_load opens (absolute path); static storage. */
const char *libclang_path(void);

/*
 * The clang resource directory (builtin headers such as stddef.h) that
 * belongs to the loaded libclang, passed to every parse; NULL when none is
 * found.  Loads libclang; static storage.
 */
const char *libclang_resource_dir(void);

/* "clang version ..." of the libclang in use.  Loads libclang; static
 * storage. */
const char *libclang_version(void);

/*
 * What identifies the libclang a parse would use, without loading it: the
 * library's path, size and modification time, which a package update
 * changes.  Never fails; the caller frees it.
 */
char *libclang_id(void);

#endif
