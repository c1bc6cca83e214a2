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
 * The tree and the database may come from someone else (a pull request in
 * CI; docs/security.md), so a project is confined to the folders it may
 * read (`readable`): its root, the database's folder, the folders named
 * with --allow-dir and the system include folders.  A database entry whose
 * source lies elsewhere, or leads elsewhere through a symbolic link, is
 * refused with a warning naming the entry; only the options that change
 * how the code parses reach libclang (project_clean_args), include paths
 * confined like the sources; the front end refuses a unit that read a file
 * outside them anyway (frontend.h).
 *
 * Memory: a project owns all its strings; project_free releases them and
 * removes the stand-in directory (if any) from disk.  While a project with
 * a stand-in directory is open, SIGINT, SIGTERM and SIGHUP remove that
 * directory before the process dies of the signal (project.c).
 */
#ifndef CLEAVE_PROJECT_H
#define CLEAVE_PROJECT_H

#include <stdint.h>

#include "util/common.h"

typedef struct project_job {
    char *file;      /* absolute, normalized path of the source file */
    char *directory; /* absolute working directory of the compile */
    strvec args;     /* cleaned arguments: no compiler, no source, no -o/-M*;
                        relative paths are resolved by the front end against
                        `directory` (it makes them absolute) */
    strvec macros;   /* the project's build_macros, for the front end to say which
                        of them this unit defines and tests (facts.h) */
    char *build;     /* NULL: the file's one unit; else a second build of the file a
                        program needs (scan.c), named by its build macros that differ
                        ("FRONTEND", "!FRONTEND": defines it, lacks it): its unit is
                        "file[build]" (project_job_unit) */
} project_job;

/* At most this many builds of one file are told apart in a database
 * (the rest of its entries are skipped, with a warning), and at most
 * this many units read of one file: a hostile database may list a file
 * 10,000 times with different flags. */
#define PROJECT_BUILDS_MAX 8

/* A build of a file the database holds beside the one chosen (compdb.c),
 * for scan.c to read when a program needs it. */
typedef struct project_alt {
    char *file;      /* absolute, as project_job.file */
    char *directory;
    strvec args;     /* cleaned as a job's (flags dropped from it are not counted) */
    size_t entry;    /* its first entry's position in the database, 1-based */
} project_alt;

/* A header cleave made up because the tree was never configured. */
typedef struct project_standin {
    char *header;   /* path of the header, relative to root ("config.h") */
    char *from;     /* template it was made from, relative to root, or NULL (empty stand-in) */
    int switches;   /* feature macros switched on from the template */
} project_standin;

/* Code of the tree that no unit compiles (docs/architecture.md, "What a
 * scan saw"): a grammar whose generated .c is missing, or, with a
 * database, a .c file it has no entry for (the scan drops those some unit
 * #includes: they are seen). */
enum project_unseen_kind { UNSEEN_GRAMMAR = 0, UNSEEN_NO_ENTRY = 1 };

typedef struct project_unseen {
    char *file;    /* relative to root */
    unsigned kind; /* enum project_unseen_kind */
} project_unseen;

/* A file the database compiles in several ways, and the build chosen
 * (compdb.c says how); or, without a database, a file read with the macro
 * it requires (srctree.c). */
typedef struct project_build {
    char *file;      /* relative to root (absolute outside it) */
    size_t builds;   /* distinct builds: entries differing in directory or cleaned arguments
                        (1 without a database) */
    size_t entry;    /* the chosen one's position in the database, 1-based; 0 without a
                        database: the file is read with the macro it requires (`with`) */
    strvec with;     /* cleaned arguments of the chosen build that some other build lacks */
    strvec without;  /* arguments some other build has and the chosen one lacks */
    size_t agree, of; /* other files' entries agreeing with the chosen build on the
                         macros that tell the builds apart, summed over those macros,
                         and the most there could be (entries x macros) */
} project_build;

/* Frees what b holds (not b itself). */
void project_build_clear(project_build *b);

typedef struct project {
    char *root;         /* absolute, normalized project root */
    char *db_path;      /* compile_commands.json used, absolute; NULL without one */
    uint64_t db_digest; /* hash_bytes of its text as read (0 without one): `cleave merge`
                           checks that the database it reads second builds with is this one */
    struct { project_job *v; size_t n, cap; } jobs;  /* sorted by file */
    size_t skipped;     /* database entries skipped (not C, duplicates) */
    strvec readable;    /* folders units may read: absolute, symlinks resolved */
    strvec allowed;     /* those of them named by --allow-dir, in the order given */
    strvec warnings;    /* one line each: refused entries, unreadable paths */
    size_t flags_dropped; /* database arguments not passed to libclang */
    strvec dropped_names; /* the distinct options among them, sorted */
    struct { project_unseen *v; size_t n, cap; } unseen;  /* sorted by file */
    struct { project_build *v; size_t n, cap; } builds;   /* sorted by file */
    struct { project_alt *v; size_t n, cap; } alts;       /* by file, then entry */
    /* Macros that tell one program's build of a file from another's,
     * sorted: with a database, the -D macros some builds of a file have
     * and others lack (compdb.c); without, a macro some .c file #errors
     * without (srctree.c), which that file is then read with. */
    strvec build_macros;
    /* Without a database only: */
    char *standin_dir;  /* temporary directory holding stand-in headers, or NULL */
    struct { project_standin *v; size_t n, cap; } standins;
} project;

/* How to open a project; a NULL project_options means all defaults. */
typedef struct project_options {
    const char *build_dir;    /* -p: the folder holding the database, or the database; NULL */
    const strvec *allow_dirs; /* --allow-dir: more folders units may read; NULL for none */
} project_options;

/*
 * Opens the project at `path` (a directory; a compile_commands.json file is
 * also accepted).  Returns 0 and a new project in *out, or -1 and a
 * one-line message in *err (caller frees), of the form
 * "<file>:<line>:<col>: <message>" when a position exists, else
 * "<file>: <message>".  A folder of opt->allow_dirs that does not exist is
 * an error.  What was refused or dropped on the way is in p->warnings and
 * p->flags_dropped, for the caller to print.
 */
int project_open(const char *path, const project_options *opt, project **out, char **err);
void project_free(project *p); /* NULL is a no-op */

/* The name of job's unit: its file relative to root (absolute outside
 * it), then "[build]" for a second build.  The caller frees it. */
char *project_job_unit(const project_job *job, const char *root);

/* Frees what job holds (not job itself). */
void project_job_clear(project_job *job);

/* Whether args (cleaned, as a job's) define macro m: its last -D or -U
 * of m is a -D ("-DM", "-DM=1", "-D M"). */
int project_args_define(const strvec *args, const char *m);

/* 1 when path (absolute) lies in one of dirs (absolute, symlinks
 * resolved): path itself with its symlinks resolved when it exists, else
 * as written, normalized.  project_under compares path as it is written
 * (absolute and normalized), without a look at the disk. */
int project_within(const strvec *dirs, const char *path);
int project_under(const strvec *dirs, const char *path);

/*
 * Cleans one database entry's arguments (argv[0] is the compiler) for
 * libclang by allow-list: only options that change how the code parses
 * are kept (macros, include paths and files, language standard and
 * dialect, target; compdb.c lists them and says why), include paths and
 * -include files only when they lie in `readable` (resolved against
 * `directory`; NULL: no such check).  Everything else is dropped: the
 * compiler, the source and -c / -o FILE silently, any other argument
 * counted -- the return value -- and, when `dropped` is not NULL, named in
 * it (an option's value not included, a dropped include path with its
 * folder).  Adds nothing.  `source` is the entry's file as written.
 */
size_t project_clean_args(const strvec *argv, const char *source, const char *directory,
                          const strvec *readable, strvec *out, strvec *dropped);

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
 * releases it.  p->readable holds the folders of p->allowed and the
 * system include folders when they are called.
 * project_load_compdb (compdb.c) reads the database at db_path (absolute),
 * adds the root and the database's folder to p->readable, and counts
 * skipped entries in p->skipped; with `widen` (the database was given as
 * PATH) the root grows from the database's folder to hold its sources, but
 * never above the current directory.
 * project_scan_tree (srctree.c) walks p->root, may create
 * p->standin_dir and p->standins, and fills p->unseen.
 */
int project_load_compdb(project *p, const char *db_path, int widen, char **err);
/* Adds dir (absolute) to p->readable with its symlinks resolved, unless
 * it is there already. */
void project_add_readable(project *p, const char *dir);
/* Called by srctree.c as soon as p->standin_dir exists: until
 * project_free, SIGINT, SIGTERM and SIGHUP remove it (project.c). */
void project_guard_standins(const project *p);
int project_scan_tree(project *p, char **err);
/* Beside a database: walks p->root as project_scan_tree does, without
 * refusing or warning about anything, to fill p->unseen (srctree.c). */
void project_list_unseen(project *p);

#endif
