/*
 * workers.c - units parsed in worker processes (workers.h).
 *
 * The scan's side is one loop: hand a unit to every idle worker (forking
 * one where a slot has none), poll the busy ones' sockets until the next
 * deadline, take in what they sent, and settle each unit whose worker
 * finished, died or ran out of time.  A slot's reply is a facts_io image,
 * read until its header's length is complete; a worker that sends
 * something else is killed and its unit failed.
 *
 * Worker side: no handler of the scan's for the signals it may catch,
 * death with the scan (Linux's PR_SET_PDEATHSIG), then read a unit's position,
 * parse, store, reply, until the scan closes the socket.  Workers leave
 * with _exit: nothing the scan buffered or registered runs twice.
 *
 * Memory: the scan owns each slot's buffer; a record read back is handed
 * to done(), which owns it from then on.
 */
#define _GNU_SOURCE
#include "scan/workers.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "frontend/facts_io.h"
#include "frontend/frontend.h"
#include "frontend/libclang.h"

#define IDLE SIZE_MAX
/* A reply larger than this is not a record (Git's largest is 0.5 MB). */
#define MAX_REPLY ((uint64_t)1 << 32)
#define CHUNK ((size_t)1 << 20)

typedef struct slot {
    pid_t pid;      /* 0: no worker */
    int fd;         /* the scan's end of the socket pair */
    size_t unit;    /* position in jobs being parsed, or IDLE */
    double start;   /* when the unit was handed over (monotonic seconds) */
    struct { unsigned char *v; size_t n, cap; } in; /* the reply so far */
} slot;

typedef struct run {
    const project *p;
    cache *c;
    const size_t *jobs;
    int timeout;
    workers_done_fn done;
    void *ctx;
    slot *s;
    int nslots;
    frontend *fe; /* parses in this process when no worker can start */
    int warned;
} run;

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* ---- the worker -------------------------------------------------------- */

static int sendall(int fd, const void *data, size_t n) {
    const char *p = data;
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static int recvall(int fd, void *data, size_t n) {
    char *p = data;
    while (n) {
        ssize_t r = recv(fd, p, n, 0);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

static void parseone(run *r, size_t k, facts **f, int *kept, uint64_t *digest) {
    const project_job *job = &r->p->jobs.v[r->jobs[k]];
    if (!r->fe) r->fe = frontend_new();
    *f = frontend_extract(r->fe, job, r->p->root, &r->p->readable);
    *digest = 0;
    *kept = r->c && cache_store(r->c, job, *f, digest) == 1;
}

/* A handler the scan installed for sig is the scan's (say, one removing
 * its stand-in directory): the worker dies of the signal instead.  An
 * ignored signal stays ignored. */
static void nohandler(int sig) {
    struct sigaction sa;
    if (sigaction(sig, NULL, &sa) == 0 && sa.sa_handler != SIG_IGN && sa.sa_handler != SIG_DFL)
        signal(sig, SIG_DFL);
}

static _Noreturn void worker(run *r, int fd, pid_t scan) {
    nohandler(SIGINT);
    nohandler(SIGTERM);
    nohandler(SIGHUP);
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
    if (getppid() != scan) _exit(0); /* the scan ended before prctl */
    for (;;) {
        uint64_t k;
        if (recvall(fd, &k, sizeof k) != 0) _exit(0);
        facts *f;
        int kept;
        uint64_t digest;
        parseone(r, (size_t)k, &f, &kept, &digest);
        facts_io_out o = {0};
        facts_io_begin(&o, FACTS_IO_UNIT);
        facts_io_put_u32(&o, (uint32_t)kept);
        facts_io_put_u64(&o, digest);
        facts_io_put_facts(&o, f);
        facts_io_finish(&o, NULL);
        if (sendall(fd, o.v, o.n) != 0) _exit(0);
        free(o.v);
        facts_free(f);
    }
}

/* ---- the scan's side --------------------------------------------------- */

/* Forks the worker of slot s; 0, or -1 with errno. */
static int spawn(run *r, slot *s) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return -1;
    pid_t scan = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        int e = errno;
        close(sv[0]);
        close(sv[1]);
        errno = e;
        return -1;
    }
    if (pid == 0) {
        close(sv[0]);
        /* the other workers' sockets are the scan's business */
        for (int i = 0; i < r->nslots; i++)
            if (r->s[i].pid) close(r->s[i].fd);
        worker(r, sv[1], scan);
    }
    close(sv[1]);
    s->pid = pid;
    s->fd = sv[0];
    s->in.n = 0;
    return 0;
}

/* Ends slot s's worker and waits for it; *status receives how it ended.
 * Closing the socket tells an idle worker to leave, and one whose socket
 * is closed has exited or is exiting: it gets 100 ms to finish before it
 * is killed (at once with kill_it). */
static void reap(slot *s, int kill_it, int *status) {
    int st = 0;
    pid_t got = 0;
    close(s->fd);
    for (int i = 0; !kill_it && i < 100 && (got = waitpid(s->pid, &st, WNOHANG)) == 0; i++) {
        struct timespec ms = {0, 1000000};
        nanosleep(&ms, NULL);
    }
    if (got != s->pid) {
        kill(s->pid, SIGKILL);
        while (waitpid(s->pid, &st, 0) < 0 && errno == EINTR) {
        }
    }
    s->pid = 0;
    s->fd = -1;
    if (status) *status = st;
}

static const char *signame(int sig) {
    switch (sig) {
    case SIGSEGV: return "SIGSEGV";
    case SIGBUS: return "SIGBUS";
    case SIGABRT: return "SIGABRT";
    case SIGILL: return "SIGILL";
    case SIGFPE: return "SIGFPE";
    case SIGKILL: return "SIGKILL";
    case SIGTERM: return "SIGTERM";
    case SIGXCPU: return "SIGXCPU";
    case SIGXFSZ: return "SIGXFSZ";
    case SIGSYS: return "SIGSYS";
    case SIGTRAP: return "SIGTRAP";
    default: return NULL;
    }
}

/* Unit s->unit failed: its record says why. */
static void failunit(run *r, slot *s, const char *why) {
    size_t k = s->unit;
    s->unit = IDLE;
    r->done(r->ctx, k, frontend_failed(&r->p->jobs.v[r->jobs[k]], r->p->root, why), 0, 0);
}

/* Slot s's worker died (or sent garbage) during its unit. */
static void died(run *r, slot *s, int kill_it) {
    int st;
    reap(s, kill_it, &st);
    char why[96];
    if (WIFSIGNALED(st)) {
        const char *name = signame(WTERMSIG(st));
        snprintf(why, sizeof why, "the parse crashed (signal %d%s%s)", WTERMSIG(st),
                 name ? ", " : "", name ? name : "");
    } else if (WIFEXITED(st) && WEXITSTATUS(st) != 0) {
        snprintf(why, sizeof why, "the parse ended with exit status %d", WEXITSTATUS(st));
    } else {
        snprintf(why, sizeof why, "the parse ended without a result");
    }
    failunit(r, s, why);
}

/* Slot s's reply is complete: the record it holds, or a failure. */
static void settle(run *r, slot *s) {
    facts_io_in in;
    const char *why;
    facts *f = NULL;
    uint32_t kept = 0;
    uint64_t digest = 0;
    if (facts_io_open(&in, s->in.v, s->in.n, FACTS_IO_UNIT, NULL, &why) == 0) {
        kept = facts_io_get_u32(&in);
        digest = facts_io_get_u64(&in);
        f = facts_io_get_facts(&in);
        if (f && facts_io_done(&in) != 0) {
            facts_free(f);
            f = NULL;
        }
    }
    s->in.n = 0;
    if (!f) {
        died(r, s, 1);
        return;
    }
    size_t k = s->unit;
    s->unit = IDLE;
    r->done(r->ctx, k, f, kept == 1, digest);
}

/* Reads what slot s's worker sent; settles its unit when the reply is
 * complete or the worker is gone. */
static void take(run *r, slot *s) {
    for (;;) {
        uint64_t want = FACTS_IO_HEADER_SIZE;
        if (s->in.n >= FACTS_IO_HEADER_SIZE) {
            want = facts_io_image_size(s->in.v);
            if (want < FACTS_IO_HEADER_SIZE || want > MAX_REPLY) {
                died(r, s, 1);
                return;
            }
        }
        if (s->in.n == want) {
            settle(r, s);
            return;
        }
        /* grown as bytes arrive, not to what a header claims */
        VEC_RESERVE(s->in, (size_t)(want - s->in.n < CHUNK ? want : s->in.n + CHUNK));
        size_t end = want < s->in.cap ? (size_t)want : s->in.cap;
        ssize_t got = recv(s->fd, s->in.v + s->in.n, end - s->in.n, MSG_DONTWAIT);
        if (got < 0 && errno == EINTR) continue;
        if (got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;
        if (got <= 0) {
            died(r, s, 0);
            return;
        }
        s->in.n += (size_t)got;
    }
}

/* Hands unit k to slot s, starting its worker if it has none.  Returns 0,
 * or -1 when no worker could take it. */
static int handout(run *r, slot *s, size_t k) {
    for (int tries = 0; tries < 2; tries++) {
        if (!s->pid && spawn(r, s) != 0) {
            if (!r->warned)
                fprintf(stderr, "cleave: warning: cannot start a worker process (%s)\n",
                        strerror(errno));
            r->warned = 1;
            return -1;
        }
        uint64_t msg = k;
        if (sendall(s->fd, &msg, sizeof msg) == 0) {
            s->unit = k;
            s->start = now();
            return 0;
        }
        reap(s, 1, NULL); /* died between two units: a new one takes this */
    }
    return -1;
}

static int busy(const run *r) {
    for (int i = 0; i < r->nslots; i++)
        if (r->s[i].unit != IDLE) return 1;
    return 0;
}

/* Milliseconds poll may wait: until the first deadline, or for ever. */
static int waitms(const run *r) {
    if (r->timeout <= 0) return -1;
    double first = -1, t = now();
    for (int i = 0; i < r->nslots; i++) {
        if (r->s[i].unit == IDLE) continue;
        double left = r->s[i].start + r->timeout - t;
        if (first < 0 || left < first) first = left;
    }
    if (first < 0) return -1;
    return first <= 0 ? 0 : (int)(first * 1000) + 1;
}

void workers_parse(const project *p, cache *c, const size_t *jobs, size_t n, int procs,
                   int timeout, workers_done_fn done, void *ctx) {
    if (n == 0) return;
    run r = {0};
    r.p = p;
    r.c = c;
    r.jobs = jobs;
    r.timeout = timeout;
    r.done = done;
    r.ctx = ctx;
    r.nslots = procs < 1 ? 1 : (size_t)procs > n ? (int)n : procs;
    r.s = xcalloc((size_t)r.nslots, sizeof *r.s);
    for (int i = 0; i < r.nslots; i++) r.s[i].unit = IDLE;
    /* loaded once here, the library is shared by every worker (and a
     * broken installation ends the scan here, with its message); the
     * cache directory is made here so a failure is reported once */
    libclang_load();
    (void)libclang_resource_dir();
    if (c) cache_prepare(c);
    struct pollfd *pfd = xcalloc((size_t)r.nslots, sizeof *pfd);

    size_t next = 0;
    while (next < n || busy(&r)) {
        for (int i = 0; i < r.nslots && next < n; i++) {
            if (r.s[i].unit != IDLE) continue;
            if (handout(&r, &r.s[i], next) == 0) {
                next++;
            } else if (!busy(&r)) {
                /* no worker at all: parse here, without isolation */
                facts *f;
                int kept;
                uint64_t digest;
                parseone(&r, next, &f, &kept, &digest);
                done(ctx, next++, f, kept, digest);
            }
        }
        int np = 0;
        for (int i = 0; i < r.nslots; i++) {
            if (r.s[i].unit == IDLE) continue;
            pfd[np].fd = r.s[i].fd;
            pfd[np].events = POLLIN;
            pfd[np].revents = 0;
            np++;
        }
        if (np == 0) continue;
        if (poll(pfd, (nfds_t)np, waitms(&r)) < 0) {
            if (errno == EINTR) continue;
            for (int i = 0; i < r.nslots; i++) /* cannot wait for them: fail them */
                if (r.s[i].unit != IDLE) died(&r, &r.s[i], 1);
            continue;
        }
        double t = now();
        for (int i = 0, j = 0; i < r.nslots; i++) {
            slot *s = &r.s[i];
            if (s->unit == IDLE) continue;
            if (pfd[j++].revents) take(&r, s);
            if (s->unit != IDLE && timeout > 0 && t - s->start >= timeout) {
                char why[64];
                reap(s, 1, NULL);
                snprintf(why, sizeof why, "timed out after %d s (--unit-timeout)", timeout);
                failunit(&r, s, why);
            }
        }
    }
    for (int i = 0; i < r.nslots; i++) {
        if (r.s[i].pid) reap(&r.s[i], 0, NULL);
        free(r.s[i].in.v);
    }
    free(pfd);
    free(r.s);
    frontend_free(r.fe);
}
