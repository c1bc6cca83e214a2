/*
 * cli.h - the subcommand table's row type and helpers shared by the
 * cmd_*.c files.  A new subcommand is one file defining a cmd_entry plus
 * one row in main.c's table.
 */
#ifndef CLEAVE_CLI_H
#define CLEAVE_CLI_H

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

/* Prints "cleave: <cmd>: <msg>" and the --help hint; returns CLEAVE_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *msg);

/* For getopt's ':' (missing argument) and '?' (unknown option) answers:
 * names the option in a usage error; returns CLEAVE_EXIT_USAGE. */
int cli_bad_option(const char *cmd, int c, const char *arg);

/*
 * Writes text to path ("-" = stdout) atomically, creating missing parent
 * directories.  Returns 0, or -1 after printing "cleave: <path>: <reason>".
 */
int cli_write_output(const char *path, const char *text);
/* The same for len bytes that need not end in a NUL (a mapped file). */
int cli_write_output_n(const char *path, const char *data, size_t len);

/*
 * --cache-dir DIR | --no-cache, taken by every command that scans
 * (cli_scan.c).  Add CLI_CACHE_LONGOPTS to the getopt_long table and pass
 * both codes to cli_cache_option; the codes sit above any command's own.
 */
enum { CLI_OPT_CACHE_DIR = 0x1000, CLI_OPT_NO_CACHE };
#define CLI_CACHE_LONGOPTS                                                                         \
    {"cache-dir", required_argument, NULL, CLI_OPT_CACHE_DIR},                                     \
        {"no-cache", no_argument, NULL, CLI_OPT_NO_CACHE}

typedef struct cli_cache {
    const char *dir; /* --cache-dir, or NULL for the default */
    int off;         /* --no-cache */
} cli_cache;

/* Records option c (one of the codes above) with its argument; returns
 * CLEAVE_EXIT_OK, or a usage error of cmd when both options were given. */
int cli_cache_option(const char *cmd, cli_cache *cc, int c, const char *arg);

struct project;
/* The cache directory to scan p with: --cache-dir, else cache.h's default
 * for p; NULL with --no-cache (or no default).  The caller frees it. */
char *cli_cache_dir(const cli_cache *cc, const struct project *p);

/* Prints a command's --help on stdout: head, the cache options with their
 * descriptions from column col, then tail. */
void cli_scan_help(const char *head, int col, const char *tail);

/*
 * Opens the project at path (cleave scan's PATH and -p) into *out, which
 * the caller frees with project_free.  Returns CLEAVE_EXIT_OK, or after
 * printing why, 2 for a bad path or compile database and 3 when it has no
 * C unit.
 */
int cli_project_open(const char *path, const char *build_dir, struct project **out);

struct graph;
struct scan_options;
/*
 * Scans the project at path (as `cleave scan` does, with the cache cc
 * chooses) for `cleave plan`, `check`, `graph` and `init`.  Returns
 * CLEAVE_EXIT_OK with *out set (the caller frees it), or the exit code
 * after printing why: cli_project_open's, or 3 when no unit parsed or the
 * parsed share of units is below min_coverage (0..1).
 */
int cli_scan_path(const char *path, const char *build_dir, const struct scan_options *sopt,
                  const cli_cache *cc, double min_coverage, struct graph **out);

#endif
