/*
 * project.h - what to parse: the list of translation units of a project,
 * each with the arguments to parse it with.
 *
 * project_open looks for a compilation database (compile_commands.json in
 * PATH, or in the build directory given with -p) and falls back to walking
 * the source tree (srctree.c) when there is none.  Nothing from the
 * database is ever executed: arguments are only cleaned and handed to the
 * front end.
 *
 * Memory: a project owns all its strings; project_free releases them and
 * removes the stand-in directory (if any) from disk.
 */
#ifndef CLEAVE_PROJECT_H
#define CLEAVE_PROJECT_H

#include "util/common.h"

typedef struct project_job {
    char *file;      /* absolute, normalized path of the source file */
    char *directory; /* absolute working directory of the compile */
    strvec args;     /* cleaned arguments: no compiler, no source, no -o/-M*;
                        relative paths are resolved by the front end against
                        `directory` (it makes them absolute) */
} project_job;

/* A header cleave made up because the tree was never configured. */
typedef struct project_standin {
    char *header;   /* path of the header, relative to root ("config.h") */
    char *from;     /* template it was made from, relative to root, or NULL (empty stand-in) */
    int switches;   /* feature macros switched on from the template */
} project_standin;

typedef struct project {
    char *root;         /* absolute, normalized project root */
    char *db_path;      /* compile_commands.json used, absolute; NULL without one */
    struct { project_job *v; size_t n, cap; } jobs;  /* sorted by file */
    size_t skipped;     /* database entries skipped (not C, duplicates) */
    /* Without a database only: */
    char *standin_dir;  /* temporary directory holding stand-in headers, or NULL */
    struct { project_standin *v; size_t n, cap; } standins;
} project;

/*
 * Opens the project at `path` (a directory; a compile_commands.json file is
 * also accepted) with an optional build directory holding the database.
 * Returns 0 and a new project in *out, or -1 and a one-line message in
 * *err (caller frees), of the form "<file>:<line>:<col>: <message>" when a
 * position exists, else "<file>: <message>".
 */
int project_open(const char *path, const char *build_dir, project **out, char **err);
void project_free(project *p); /* NULL is a no-op */

/*
 * Cleans one database entry's arguments (argv[0] is the compiler) for
 * libclang: drops the compiler, the source file, output and dependency
 * flags (-o, -c, -M*, ...), and GCC-only flags clang rejects; adds nothing.
 * `source` is the entry's file as written.  Exposed for tests.
 */
void project_clean_args(const strvec *argv, const char *source, strvec *out);

/*
 * Splits a shell command line ("command" entries) into words, honouring
 * single and double quotes and backslashes as POSIX sh does.  Returns 0, or
 * -1 on an unterminated quote (out holds the words split so far).
 */
int project_split_command(const char *cmd, strvec *out);

/*
 * Internal to the project module (project.c calls them; declared here so
 * the three files share one prototype).  Both fill p->jobs, sorted by
 * file, and return 0, or -1 with a one-line message in *err (caller
 * frees); on failure p keeps whatever was filled and project_free
 * releases it.
 * project_load_compdb (compdb.c) reads the database at db_path (absolute)
 * and counts skipped entries in p->skipped.
 * project_scan_tree (srctree.c) walks p->root and may create
 * p->standin_dir and p->standins.
 */
int project_load_compdb(project *p, const char *db_path, char **err);
int project_scan_tree(project *p, char **err);

#endif
