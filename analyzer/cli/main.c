/*
 * main.c - the `cleave` command line: global options and the subcommand
 * table (one row per cmd_*.c file), plus the output helpers they share
 * (their argument helpers are in cli_args.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "util/common.h"
#include "frontend/libclang.h"

#ifndef CLEAVE_VERSION
#define CLEAVE_VERSION "0.0.0"
#endif

static const cmd_entry *const commands[] = {
    &cmd_scan_entry,
    &cmd_merge_entry,
    &cmd_plan_entry,
    &cmd_graph_entry,
    &cmd_compare_entry,
    &cmd_init_entry,
    &cmd_check_entry,
    &cmd_report_entry,
    &cmd_explain_entry,
};
#define NCOMMANDS (sizeof commands / sizeof commands[0])

static void help(FILE *out) {
    fprintf(out,
            "usage: cleave <command> [options]\n"
            "       cleave --help | --version\n\n"
            "cleave reads a C codebase with libclang and shows where it can be split\n"
            "into services or functions.\n\ncommands:\n");
    for (size_t i = 0; i < NCOMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
    fprintf(out,
            "\noptions:\n"
            "  -h, --help     this text (also 'cleave help')\n"
            "  -V, --version  the version, the commit it was built from, and the libclang\n"
            "                 it parses with\n"
            "\n'cleave <command> --help' and 'man cleave-<command>' describe a command.\n"
            "exit codes: 0 success, 1 findings, 2 usage or bad input, 3 nothing could be\n"
            "analysed, 4 internal or output error.\n");
}

/* mkdir -p for the directory part of path. */
static int mkparents(const char *path) {
    char *dir = path_dirname(path);
    int rc = 0;
    struct stat st;
    if (strcmp(dir, ".") != 0 && strcmp(dir, "/") != 0 && stat(dir, &st) != 0) {
        rc = mkparents(dir);
        if (rc == 0 && mkdir(dir, 0777) != 0 && errno != EEXIST) rc = -1;
    }
    free(dir);
    return rc;
}

static int writefile(const char *path, const char *data, size_t len, enum file_out_kind kind) {
    if (mkparents(path) != 0 || file_write_output(path, data, len, kind) != 0) {
        char *shown = str_printable(path);
        fprintf(stderr, "cleave: %s: cannot write: %s\n", shown, file_strerror(errno));
        free(shown);
        return -1;
    }
    return 0;
}

int cli_write_output(const char *path, const char *text) {
    size_t len = strlen(text);
    if (strcmp(path, "-") == 0) {
        if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
            fprintf(stderr, "cleave: <stdout>: %s\n", strerror(errno));
            return -1;
        }
        return 0;
    }
    return writefile(path, text, len, FILE_OUT_NAMED);
}

int cli_write_output_in(const char *path, const char *data, size_t len) {
    return writefile(path, data, len, FILE_OUT_CONTAINED);
}

/* Whatever a command printed on stdout (a summary, a report) must have
 * reached it: a full disk or a closed pipe is an output error, not a
 * success.  Returns the exit code to use. */
static int closestdout(int rc) {
    errno = 0;
    int ok = fflush(stdout) == 0 && !ferror(stdout);
    int err = errno;
    if (fclose(stdout) != 0 && ok) {
        ok = 0;
        err = errno;
    }
    /* a failure already reported (exit 4) or a worse one stands */
    if (ok || (rc != CLEAVE_EXIT_OK && rc != CLEAVE_EXIT_FINDINGS)) return rc;
    fprintf(stderr, "cleave: <stdout>: %s\n", err ? strerror(err) : "write error");
    return CLEAVE_EXIT_INTERNAL;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        help(stderr);
        return CLEAVE_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        help(stdout);
        return closestdout(CLEAVE_EXIT_OK);
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        const char *res = libclang_resource_dir();
        printf("cleave %s (commit %s)\nlibclang: %s\nclang builtin headers: %s\n", CLEAVE_VERSION,
               cli_commit, libclang_version(), res ? res : "none found");
        return closestdout(CLEAVE_EXIT_OK);
    }
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(cmd, commands[i]->name) == 0)
            return closestdout(commands[i]->exec(argc - 1, argv + 1));
    fprintf(stderr, "cleave: unknown command '%s'\ntry 'cleave --help'\n", cmd);
    return CLEAVE_EXIT_USAGE;
}
