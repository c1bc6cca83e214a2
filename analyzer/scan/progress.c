/*
 * progress.c - the progress line (progress.h).  The rate is the average
 * since the start, which a scan's even mix of units keeps steady; the line
 * is cut to the terminal's width so it never wraps (a wrapped line cannot
 * be redrawn with a carriage return).
 */
#define _POSIX_C_SOURCE 200809L
#include "scan/progress.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "util/common.h"

struct progress {
    size_t total;
    int enabled, drawn;
    double start, last; /* seconds, monotonic */
};

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static size_t width(void) {
    struct winsize ws;
    if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0) return ws.ws_col;
    return 80;
}

progress *progress_new(size_t total, int enabled) {
    progress *p = xcalloc(1, sizeof *p);
    p->total = total;
    p->enabled = enabled;
    p->start = p->last = now();
    return p;
}

void progress_update(progress *p, size_t done, const char *current) {
    if (!p->enabled) return;
    double t = now();
    if (t - p->last < 0.1 && done < p->total) return;
    p->last = t;
    double rate = t > p->start ? (double)done / (t - p->start) : 0;
    char eta[32] = "-:--";
    if (rate > 0) {
        long left = (long)((double)(p->total - done) / rate + 0.5);
        snprintf(eta, sizeof eta, "%ld:%02ld", left / 60, left % 60);
    }
    char *shown = str_printable(current); /* a file name of the tree */
    char *line =
        xasprintf("cleave: %zu/%zu units, %.1f/s, %s left, %s", done, p->total, rate, eta, shown);
    free(shown);
    size_t w = width();
    if (strlen(line) >= w) line[w - 1] = '\0';
    fprintf(stderr, "\r%s\033[K", line);
    fflush(stderr);
    free(line);
    p->drawn = 1;
}

void progress_free(progress *p) {
    if (!p) return;
    if (p->drawn) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    free(p);
}
