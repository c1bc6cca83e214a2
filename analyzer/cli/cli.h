/*
 * cli.h - the subcommand table's row type and helpers shared by the
 * cmd_*.c files: argument handling (cli_args.c), the scan or graph file a
 * command works on (cli_scan.c), output files (main.c).  A new subcommand
 * is one file defining a cmd_entry plus one row in main.c's table.
 *
 * A command's file has the same shape throughout: an opts struct, a
 * parse() that fills it from argv (returning an exit code, or CLI_HELP
 * after printing --help), and a run() that acquires what it needs in
 * order and releases it in reverse at one cleanup: label.
 */
#ifndef CLEAVE_CLI_H
#define CLEAVE_CLI_H

#include "scan/scan.h"

typedef struct cmd_entry {
    const char *name;
    const char *summary; /* one line for `cleave --help` */
    int (*exec)(int argc, char **argv); /* argv[0] is the command name; returns the exit code */
} cmd_entry;

extern const cmd_entry cmd_scan_entry;
extern const cmd_entry cmd_merge_entry;
extern const cmd_entry cmd_plan_entry;
extern const cmd_entry cmd_graph_entry;
extern const cmd_entry cmd_compare_entry;
extern const cmd_entry cmd_check_entry;
extern const cmd_entry cmd_init_entry;
extern const cmd_entry cmd_report_entry;
extern const cmd_entry cmd_explain_entry;

/* The commit cleave was built from, for --version: `git describe --always
 * --dirty` of the checkout, or "unknown" outside one.  Defined in
 * cli_commit.c, which the build writes (cmake/commit.cmake). */
extern const char cli_commit[];

/* What a command's parse() returns after printing --help: run() exits 0. */
#define CLI_HELP (-1)

/* Prints "cleave: <cmd>: <msg>" and the --help hint; returns CLEAVE_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *msg);

/* For getopt's ':' (missing argument) and '?' (unknown option) answers:
 * names the option in a usage error; returns CLEAVE_EXIT_USAGE. */
int cli_bad_option(const char *cmd, int c, const char *arg);

/* For a bad value text of option opt: prints "cleave: <cmd>: <opt> takes
 * <what>, not '<text>'" and the --help hint; returns CLEAVE_EXIT_USAGE. */
int cli_bad_value(const char *cmd, const char *opt, const char *text, const char *what);

/*
 * Numeric option values (cli_args.c).  The whole of text must be the
 * number: no leading blanks, nothing after it, no overflow.
 *
 * cli_int_value: a decimal whole number in [min, max]; returns 0 with
 * *out set, or -1 (nothing printed, *out untouched).
 *
 * cli_parse_int, cli_parse_double (a finite number in [min, max]) and
 * cli_parse_positive (a finite number > 0) read the value text of option
 * opt ("--services", "-j") of command cmd: they return CLEAVE_EXIT_OK with
 * *out set, or cli_bad_value's usage error naming the range.
 */
int cli_int_value(const char *text, int min, int max, int *out);
int cli_parse_int(const char *cmd, const char *opt, const char *text, int min, int max, int *out);
int cli_parse_double(const char *cmd, const char *opt, const char *text, double min, double max,
                     double *out);
int cli_parse_positive(const char *cmd, const char *opt, const char *text, double *out);

struct config;
/*
 * The config a command reads (cli_args.c): the file named by --config,
 * else root/cleave.json when root is given and that file exists, else
 * none.  Returns CLEAVE_EXIT_OK with *out set -- NULL when there is no
 * config; the caller frees it with config_free -- or CLEAVE_EXIT_USAGE
 * after printing the file's error ("cleave: <file>:<line>:<col>: ...").
 */
int cli_config_load(const char *named, const char *root, struct config **out);

/*
 * Writes text to path, an output the user named (-o FILE): "-" is stdout;
 * else missing parent directories are created and the file written as
 * file_write_output does with FILE_OUT_NAMED (atomically; /dev/null, a
 * FIFO or a terminal written through; a symbolic link followed, never
 * replaced).  Returns 0, or -1 after printing "cleave: <path>: <reason>"
 * (a full disk included: the caller exits with status 4).
 */
int cli_write_output(const char *path, const char *text);
/* The same for len bytes cleave names itself inside an output folder
 * (plan.json in OUTDIR): FILE_OUT_CONTAINED, so a symbolic link or a FIFO
 * planted there is refused, not written through. */
int cli_write_output_in(const char *path, const char *data, size_t len);

/* Prints "cleave: <msg>" on stderr, msg made printable (str_printable):
 * for the one-line errors of readers, which echo what the input holds. */
void cli_error(const char *msg);

/*
 * The options of every command that scans (cli_scan.c): --cache-dir DIR |
 * --no-cache, --allow-dir DIR (repeatable) and --unit-timeout SECONDS.
 * Add CLI_SCAN_LONGOPTS to the getopt_long table and pass the four codes
 * to cli_scan_option; the codes sit above any command's own.
 */
enum { CLI_OPT_CACHE_DIR = 0x1000, CLI_OPT_NO_CACHE, CLI_OPT_ALLOW_DIR, CLI_OPT_UNIT_TIMEOUT };
#define CLI_SCAN_LONGOPTS                                                                          \
    {"cache-dir", required_argument, NULL, CLI_OPT_CACHE_DIR},                                     \
        {"no-cache", no_argument, NULL, CLI_OPT_NO_CACHE},                                         \
        {"allow-dir", required_argument, NULL, CLI_OPT_ALLOW_DIR},                                 \
        {"unit-timeout", required_argument, NULL, CLI_OPT_UNIT_TIMEOUT}

typedef struct cli_cache {
    const char *dir;  /* --cache-dir, or NULL for the default */
    int off;          /* --no-cache */
    strvec allow;     /* --allow-dir, in the order given (freed by cli_cache_free) */
    int unit_timeout; /* --unit-timeout as scan_options takes it (0: the default) */
} cli_cache;

/* Records option c (one of the codes above) with its argument; returns
 * CLEAVE_EXIT_OK, or a usage error of cmd when both cache options were
 * given or the timeout is not a whole number of seconds. */
int cli_scan_option(const char *cmd, cli_cache *cc, int c, const char *arg);
void cli_cache_free(cli_cache *cc); /* what cli_scan_option kept */

/*
 * Fills in how opt scans p: the cache directory (--cache-dir, else cache.h's
 * default for p, which is not used, with a warning, when the tree made it
 * a symlink or a file; none with --no-cache), the key that signs its
 * entries (CLEAVE_CACHE_KEY) and the unit time limit.  Returns the
 * directory opt->cache_dir points to, for the caller to free after the
 * scan (NULL: no cache).
 */
char *cli_scan_setup(const cli_cache *cc, const struct project *p, scan_options *opt);

/* The key that signs cache entries and shard files: $CLEAVE_CACHE_KEY,
 * or NULL when it is unset or empty. */
const char *cli_cache_key(void);

/* Prints a command's --help on stdout: head, the cache options with their
 * descriptions from column col, then tail. */
void cli_scan_help(const char *head, int col, const char *tail);

/*
 * Opens the project at path (cleave scan's PATH and -p, with cc's
 * --allow-dir) into *out, which the caller frees with project_free; unless
 * quiet, prints what was refused or dropped on the way (project.h) as
 * warnings.  Returns CLEAVE_EXIT_OK, or after printing why, 2 for a bad
 * path or compile database and 3 when it has no C unit.
 */
int cli_project_open(const char *path, const char *build_dir, const cli_cache *cc, int quiet,
                     struct project **out);

/* Where a command's graph comes from: PATH scanned now, or --graph FILE. */
typedef struct cli_source {
    const char *path;       /* PATH, the project to scan */
    const char *graph_file; /* --graph FILE, or NULL: scan path */
    const char *build_dir;  /* -p, or NULL */
    double min_coverage;    /* fail under this share of cleanly parsed units (0..1) */
    scan_options scan;      /* .quiet is -q; the cache directory comes from cache */
    cli_cache cache;
} cli_source;

/*
 * The graph of src (cli_scan.c): src->graph_file read, else src->path
 * scanned as `cleave scan` does, with the cache src->cache chooses.
 * Returns CLEAVE_EXIT_OK with *out set (the caller frees it with
 * graph_free), or the exit code after printing why: 2 for a graph file
 * that cannot be read, cli_project_open's, or 3 when no unit parsed or the
 * share of units parsed cleanly is below src->min_coverage.
 */
int cli_graph_open(const cli_source *src, struct graph **out);

struct plan_ref;
struct report_model;
/*
 * What `cleave report` and `cleave explain` read (cli_report.c): the plan
 * at plan_file over the graph at graph_file (NULL: the graph.json beside
 * the plan, which `cleave plan` writes), and the report model of both.
 * Returns CLEAVE_EXIT_OK with *g, *ref and *m set (the caller frees them
 * with report_model_free, plan_ref_free, graph_free, in that order), or
 * CLEAVE_EXIT_USAGE after printing why a file cannot be read.
 */
int cli_report_open(const char *plan_file, const char *graph_file, struct graph **g,
                    struct plan_ref **ref, struct report_model **m);

#endif
