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
            "\n'cleave <command> --help' describes a command.\n"
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

int cli_write_output(const char *path, const char *text) {
    return cli_write_output_n(path, text, strlen(text));
}

int cli_write_output_n(const char *path, const char *text, size_t len) {
    if (strcmp(path, "-") == 0) {
        if (fwrite(text, 1, len, stdout) != len || fflush(stdout) != 0) {
            fprintf(stderr, "cleave: <stdout>: %s\n", strerror(errno));
            return -1;
        }
        return 0;
    }
    if (mkparents(path) != 0 || file_write_atomic(path, text, len) != 0) {
        fprintf(stderr, "cleave: %s: cannot write: %s\n", path, strerror(errno));
        return -1;
    }
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) {
        help(stderr);
        return CLEAVE_EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 || strcmp(cmd, "help") == 0) {
        help(stdout);
        return CLEAVE_EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "-V") == 0) {
        printf("cleave %s (%s)\n", CLEAVE_VERSION, libclang_version());
        return CLEAVE_EXIT_OK;
    }
    for (size_t i = 0; i < NCOMMANDS; i++)
        if (strcmp(cmd, commands[i]->name) == 0) return commands[i]->exec(argc - 1, argv + 1);
    fprintf(stderr, "cleave: unknown command '%s'\ntry 'cleave --help'\n", cmd);
    return CLEAVE_EXIT_USAGE;
}
