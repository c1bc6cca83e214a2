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

struct graph;
struct scan_options;
/*
 * Scans the project at path (as `cleave scan` does) for `cleave check` and
 * `cleave init`.  Returns CLEAVE_EXIT_OK with *out set (the caller frees
 * it), or the exit code after printing why: 2 for a bad path or compile
 * database, 3 when no unit parsed or the parsed share of units is below
 * min_coverage (0..1).
 */
int cli_scan_path(const char *path, const char *build_dir, const struct scan_options *sopt,
                  double min_coverage, struct graph **out);

#endif
