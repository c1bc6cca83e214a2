/*
 * cli_args.c - what every command does with its arguments (cli.h): usage
 * errors, numeric option values, and the lookup of the config file.
 *
 * A bad value is a usage error naming the command, the option and the
 * value as given, with the range the option takes: the values are read
 * whole (no leading blanks, nothing after the number), in range, and a
 * double is finite, so "--resolution inf" or "-j 4x" never slip through
 * as something else.  Nothing here allocates what outlives a call except
 * the config, which the caller owns.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli/cli.h"
#include "plan/config.h"
#include "util/common.h"

int cli_usage_error(const char *cmd, const char *msg) {
    fprintf(stderr, "cleave: %s: %s\ntry 'cleave %s --help'\n", cmd, msg, cmd);
    return CLEAVE_EXIT_USAGE;
}

void cli_error(const char *msg) {
    char *m = str_printable(msg);
    fprintf(stderr, "cleave: %s\n", m);
    free(m);
}

int cli_bad_option(const char *cmd, int c, const char *arg) {
    char *msg;
    if (c == ':')
        msg = xasprintf("option '%s' needs an argument", arg);
    else if (optopt)
        msg = xasprintf("unknown option '-%c'", optopt);
    else
        msg = xasprintf("unknown option '%s'", arg);
    int rc = cli_usage_error(cmd, msg);
    free(msg);
    return rc;
}

int cli_int_value(const char *text, int min, int max, int *out) {
    char *end;
    if (isspace((unsigned char)*text)) return -1;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (errno || end == text || *end || v < min || v > max) return -1;
    *out = (int)v;
    return 0;
}

/* A finite number and nothing else; 0, or -1. */
static int number(const char *text, double *out) {
    char *end;
    if (isspace((unsigned char)*text)) return -1;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || end == text || *end || !isfinite(v)) return -1;
    *out = v;
    return 0;
}

int cli_bad_value(const char *cmd, const char *opt, const char *text, const char *what) {
    char *msg = xasprintf("%s takes %s, not '%s'", opt, what, text);
    int rc = cli_usage_error(cmd, msg);
    free(msg);
    return rc;
}

int cli_parse_int(const char *cmd, const char *opt, const char *text, int min, int max, int *out) {
    if (cli_int_value(text, min, max, out) == 0) return CLEAVE_EXIT_OK;
    char *what = xasprintf("a whole number from %d to %d", min, max);
    int rc = cli_bad_value(cmd, opt, text, what);
    free(what);
    return rc;
}

int cli_parse_double(const char *cmd, const char *opt, const char *text, double min, double max,
                     double *out) {
    double v;
    if (number(text, &v) == 0 && v >= min && v <= max) {
        *out = v;
        return CLEAVE_EXIT_OK;
    }
    char *what = xasprintf("a number from %g to %g", min, max);
    int rc = cli_bad_value(cmd, opt, text, what);
    free(what);
    return rc;
}

int cli_parse_positive(const char *cmd, const char *opt, const char *text, double *out) {
    double v;
    if (number(text, &v) == 0 && v > 0) {
        *out = v;
        return CLEAVE_EXIT_OK;
    }
    return cli_bad_value(cmd, opt, text, "a number > 0");
}

int cli_config_load(const char *named, const char *root, config **out) {
    char *found = NULL;
    *out = NULL;
    if (!named && root) {
        /* present, even unreadable: a config that is there is never skipped in silence */
        found = path_join(root, CONFIG_FILE_NAME);
        if (access(found, F_OK) != 0) {
            free(found);
            return CLEAVE_EXIT_OK;
        }
    }
    const char *path = named ? named : found;
    int rc = CLEAVE_EXIT_OK;
    char *err = NULL;
    if (path && config_load(path, out, &err) != 0) {
        cli_error(err);
        free(err);
        rc = CLEAVE_EXIT_USAGE;
    }
    free(found);
    return rc;
}
