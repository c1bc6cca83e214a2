/*
 * scan.c - runs the front end over a project's units and merges the facts
 * (scan.h).
 *
 * A scan has two steps.  Threads read the units' cache entries (-j of
 * them); then the units without a valid entry are parsed in worker
 * processes (workers.h), biggest source first so that no long unit starts
 * last and runs alone, so that a unit that crashes the parser or runs past
 * --unit-timeout fails alone.  Each record is stored at the unit's
 * position in the job list: the records come out in job order whatever
 * the scheduling, and merge_facts does not depend on order anyway.  A
 * scan that parses nothing never starts libclang or a worker.
 *
 * Then the second builds: files read again, as units of their own, in
 * the build of the programs that link them (see "second builds" below);
 * `cleave merge` runs the same rounds on the shards' records
 * (scan_second_builds).
 *
 * scan_project_json first probes every unit's cache entry (the same
 * threads, in probe mode): when all are valid and the whole graph kept
 * from those very entries is there, that JSON is the answer, with no
 * facts decoded, merged or rendered.  After a full scan in which every
 * unit's entry was read or written, the graph is kept under those
 * entries' digests.
 *
 * Memory: scan_units owns its records until scan_units_free; a graph owns
 * everything it keeps.
 */
#define _POSIX_C_SOURCE 200809L
#include "scan/scan.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scan/cache.h"
#include "frontend/frontend.h"
#include "graph/graph_json.h"
#include "util/hash.h"
#include "util/strmap.h"
#include "scan/merge.h"
#include "scan/progress.h"
#include "scan/shard.h"
#include "scan/workers.h"

typedef struct pool {
    const project *p;
    const size_t *sel; /* job index of each selected unit, in job order */
    size_t *order;     /* positions in sel, in the order to process them */
    size_t n;
    facts **out;          /* by position in sel */
    unsigned char *hit;   /* by position: came from the cache */
    unsigned char *kept;  /* by position: its cache entry now has digest[i] */
    uint64_t *digest;     /* by position: digest of its cache entry */
    cache *cache;         /* NULL: no cache */
    int probe;            /* only check the entries (kept, digest) */
    int stop;             /* probe: an entry is missing, the rest need no look */
    pthread_mutex_t lock; /* guards next, done and the progress line */
    size_t next, done;
    progress *prog;
    size_t *parse;        /* the positions left to parse, in order (parsed()) */
} pool;

/* A thread's share of the cache entries: probed, or loaded into out[]. */
static void *work(void *arg) {
    pool *pl = arg;
    for (;;) {
        pthread_mutex_lock(&pl->lock);
        size_t i = pl->next < pl->n ? pl->order[pl->next++] : SIZE_MAX;
        pthread_mutex_unlock(&pl->lock);
        if (i == SIZE_MAX) break;
        const project_job *job = &pl->p->jobs.v[pl->sel[i]];
        if (pl->probe) {
            pthread_mutex_lock(&pl->lock);
            int stop = pl->stop;
            pthread_mutex_unlock(&pl->lock);
            pl->kept[i] = !stop && cache_probe(pl->cache, job, &pl->digest[i]);
            if (!pl->kept[i]) {
                pthread_mutex_lock(&pl->lock);
                pl->stop = 1;
                pthread_mutex_unlock(&pl->lock);
            }
            continue;
        }
        facts *f = cache_load(pl->cache, job, &pl->digest[i]);
        pl->hit[i] = pl->kept[i] = f != NULL;
        if (!f) continue;
        pl->out[i] = f;
        pthread_mutex_lock(&pl->lock);
        pl->done++;
        progress_update(pl->prog, pl->done, f->file);
        pthread_mutex_unlock(&pl->lock);
    }
    return NULL;
}

/* A worker process finished the k-th unit left to parse. */
static void parsed(void *ctx, size_t k, facts *f, int kept, uint64_t digest) {
    pool *pl = ctx;
    size_t i = pl->parse[k];
    pl->out[i] = f;
    pl->kept[i] = (unsigned char)kept;
    pl->digest[i] = digest;
    pl->done++;
    progress_update(pl->prog, pl->done, f->file);
}

/* Source sizes, to start the biggest units first. */
typedef struct sized {
    size_t pos;
    long long size;
} sized;

static int cmpsized(const void *a, const void *b) {
    const sized *x = a, *y = b;
    if (x->size != y->size) return x->size > y->size ? -1 : 1;
    return (x->pos > y->pos) - (x->pos < y->pos);
}

static size_t *bigfirst(const project *p, const size_t *sel, size_t n) {
    sized *s = xmallocarray(n, sizeof *s);
    for (size_t i = 0; i < n; i++) {
        struct stat st;
        s[i].pos = i;
        s[i].size = stat(p->jobs.v[sel[i]].file, &st) == 0 ? (long long)st.st_size : 0;
    }
    if (n > 1) qsort(s, n, sizeof *s, cmpsized);
    size_t *order = xmallocarray(n, sizeof *order);
    for (size_t i = 0; i < n; i++) order[i] = s[i].pos;
    free(s);
    return order;
}

/* Runs work() on nthreads threads, the calling one included. */
static void runpool(pool *pl, int nthreads) {
    pthread_t *t = xmallocarray((size_t)nthreads, sizeof *t);
    int started = 0;
    /* a thread that cannot start leaves its share to the others */
    while (started < nthreads - 1 && pthread_create(&t[started], NULL, work, pl) == 0) started++;
    work(pl);
    for (int i = 0; i < started; i++) pthread_join(t[i], NULL);
    free(t);
}

static int onlinecpus(void) {
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

/* The units opt selects, as job indexes; *n receives their count. */
static size_t *selected(const project *p, const scan_options *opt, size_t *n) {
    size_t *sel = xmallocarray(p->jobs.n, sizeof *sel);
    *n = 0;
    for (size_t i = 0; i < p->jobs.n; i++)
        if (!opt->shard_n || shard_has(p, i, opt->shard_k, opt->shard_n)) sel[(*n)++] = i;
    return sel;
}

/* Sets up a pool over the selected units; runpool, then poolfree. */
static void poolinit(pool *pl, const project *p, const scan_options *opt, cache *c) {
    *pl = (pool){0};
    pl->p = p;
    pl->sel = selected(p, opt, &pl->n);
    pl->order = bigfirst(p, pl->sel, pl->n);
    pl->hit = xcalloc(pl->n ? pl->n : 1, 1);
    pl->kept = xcalloc(pl->n ? pl->n : 1, 1);
    pl->digest = xcalloc(pl->n, sizeof *pl->digest);
    pl->cache = c;
    pthread_mutex_init(&pl->lock, NULL);
}

/* -j: cache entries read, or units parsed, at once. */
static int jobsof(const scan_options *opt) {
    return opt->jobs > 0 ? opt->jobs : onlinecpus();
}

static void poolrun(pool *pl, const scan_options *opt) {
    int threads = jobsof(opt);
    if ((size_t)threads > pl->n) threads = pl->n ? (int)pl->n : 1;
    runpool(pl, threads);
}

/* Parses, in worker processes, the units the cache did not have. */
static void parseall(pool *pl, const scan_options *opt) {
    pl->parse = xmallocarray(pl->n, sizeof *pl->parse);
    size_t *jobs = xmallocarray(pl->n, sizeof *jobs);
    size_t m = 0;
    for (size_t k = 0; k < pl->n; k++) {
        size_t i = pl->order[k];
        if (pl->out[i]) continue;
        pl->parse[m] = i;
        jobs[m++] = pl->sel[i];
    }
    int timeout = opt->unit_timeout == 0 ? SCAN_UNIT_TIMEOUT
                  : opt->unit_timeout < 0 ? 0
                                          : opt->unit_timeout;
    workers_parse(pl->p, pl->cache, jobs, m, jobsof(opt), timeout, parsed, pl);
    free(jobs);
    free(pl->parse);
    pl->parse = NULL;
}

static void poolfree(pool *pl) {
    pthread_mutex_destroy(&pl->lock);
    free((size_t *)pl->sel);
    free(pl->order);
    free(pl->hit);
    free(pl->kept);
    free(pl->digest);
}

static char *keyof(const pool *pl);

/* scan_run with the cache c (or NULL); with `key`, also the key of the
 * whole graph of these entries (NULL when some unit has none). */
static void rununits(const project *p, const scan_options *opt, cache *c, scan_units *out,
                     char **key) {
    pool pl;
    poolinit(&pl, p, opt, c);
    size_t n = pl.n;
    pl.out = xcalloc(n, sizeof *pl.out);
    pl.prog = progress_new(n, !opt->quiet && isatty(STDERR_FILENO));
    if (c) poolrun(&pl, opt);
    /* quiet means quiet: libclang's own prints too (common.h), in the
     * workers as well, which inherit the silenced stderr */
    if (opt->quiet) stderr_silence();
    parseall(&pl, opt);
    if (opt->quiet) stderr_restore();
    progress_free(pl.prog);

    *out = (scan_units){0};
    out->tus = pl.out;
    out->n = n;
    for (size_t i = 0; i < n; i++) {
        const facts *f = pl.out[i];
        out->cached += pl.hit[i];
        out->ok += f->status == UNIT_OK;
        out->partial += f->status == UNIT_PARTIAL;
        out->failed += f->status == UNIT_FAILED;
        if (opt->quiet || f->status == UNIT_OK) continue;
        for (size_t j = 0; j < f->errors.n; j++) {
            char *e = str_printable(f->errors.v[j]);
            fprintf(stderr, "cleave: %s\n", e);
            free(e);
        }
        char *file = str_printable(f->file);
        fprintf(stderr, "cleave: %s: unit %s\n", file,
                f->status == UNIT_PARTIAL ? "parsed in part (errors above)" : "not parsed");
        free(file);
    }
    out->parsed = n - out->cached;
    out->refused = c ? cache_refused(c) : 0;
    if (key) *key = c ? keyof(&pl) : NULL;
    poolfree(&pl);
}

void scan_run(const project *p, const scan_options *opt, scan_units *out) {
    cache *c = opt->cache_dir ? cache_new(opt->cache_dir, p, opt->cache_key, opt->quiet) : NULL;
    rununits(p, opt, c, out, NULL);
    cache_free(c);
}

void scan_units_free(scan_units *u) {
    for (size_t i = 0; i < u->n; i++) facts_free(u->tus[i]);
    free(u->tus);
    *u = (scan_units){0};
}

char *scan_compile_db_name(const project *p) {
    if (!p->db_path) return NULL;
    char *rel = path_relative(p->root, p->db_path);
    return rel ? rel : xstrdup(p->db_path);
}

size_t *scan_standin_units(const project *p, facts *const *tus, size_t n) {
    if (!p->standins.n) return NULL;
    size_t *units = xcalloc(p->standins.n, sizeof *units);
    for (size_t i = 0; i < p->standins.n; i++) {
        /* the front end records a stand-in by its absolute path (facts.h) */
        char *path = path_join(p->standin_dir, p->standins.v[i].header);
        for (size_t t = 0; t < n; t++) units[i] += strvec_contains(&tus[t]->includes, path);
        free(path);
    }
    return units;
}

static int cmpread(const void *a, const void *b) {
    return strcmp(((const gread *)a)->unit, ((const gread *)b)->unit);
}

/* Completes the graph's second builds (merge.c listed those with
 * functions, and their programs) from src, sorted by unit. */
static void addreads(graph *g, const scan_source *src) {
    strmap *at = strmap_new(); /* unit -> index in g->reads */
    for (size_t k = 0; k < g->reads.n; k++) strmap_put(at, g->reads.v[k].unit, k);
    for (size_t i = 0; i < src->nreads; i++) {
        const scan_read *r = &src->reads[i];
        size_t k = g->reads.n;
        if (!strmap_get(at, r->unit, &k)) {
            gread none = {strpool_intern(g->pool, r->unit), NULL, 0, {0}, 0, NULL};
            VEC_PUSH(g->reads, none);
        }
        gread *d = &g->reads.v[k];
        d->file = strpool_intern(g->pool, r->file);
        d->entry = (int)r->entry;
        for (size_t a = 0; a < r->with.n; a++) strvec_push(&d->with, r->with.v[a]);
    }
    strmap_free(at);
    if (g->reads.n > 1) qsort(g->reads.v, g->reads.n, sizeof *g->reads.v, cmpread);
}

graph *scan_graph(facts *const *tus, size_t n, const char *root, const scan_source *src) {
    graph *g = merge_facts(tus, n, root);
    g->compile_db = strpool_intern(g->pool, src->compile_db);
    g->flags_dropped = src->flags_dropped;
    for (size_t i = 0; i < src->nstandins; i++) {
        const project_standin *s = &src->standins[i];
        gstandin gs = {strpool_intern(g->pool, s->header), strpool_intern(g->pool, s->from),
                       s->switches, src->standin_units ? (int)src->standin_units[i] : 0};
        VEC_PUSH(g->standins, gs);
    }
    /* a .c file that some unit #includes is seen, compiled or not */
    strmap *included = strmap_new();
    for (size_t t = 0; t < n; t++)
        for (size_t i = 0; i < tus[t]->includes.n; i++) strmap_put(included, tus[t]->includes.v[i], 1);
    for (size_t i = 0; i < src->nunseen; i++) {
        const project_unseen *u = &src->unseen[i];
        if (u->kind == UNSEEN_NO_ENTRY && strmap_get(included, u->file, NULL)) continue;
        gunseen gu = {strpool_intern(g->pool, u->file), u->kind};
        VEC_PUSH(g->unseen, gu);
    }
    strmap_free(included);
    addreads(g, src);
    for (size_t i = 0; i < src->nbuilds; i++) {
        const project_build *b = &src->builds[i];
        gbuild gb = {strpool_intern(g->pool, b->file), (int)b->builds, (int)b->entry, {0}, {0},
                     (long long)b->agree, (long long)b->of};
        for (size_t k = 0; k < b->with.n; k++) strvec_push(&gb.with, b->with.v[k]);
        for (size_t k = 0; k < b->without.n; k++) strvec_push(&gb.without, b->without.v[k]);
        VEC_PUSH(g->builds, gb);
    }
    return g;
}

/* Names shown in a note listing files; the rest are counted. */
#define NOTE_SHOWN 5

/* ", a, b, c and 12 more" of the first NOTE_SHOWN names. */
static void names_tail(strbuf *b, const char *const *names, size_t n) {
    for (size_t i = 0; i < n && i < NOTE_SHOWN; i++) {
        strbuf_add(b, i ? ", " : ": ");
        strbuf_add_printable(b, names[i]);
    }
    if (n > NOTE_SHOWN) strbuf_printf(b, " and %zu more", n - NOTE_SHOWN);
}

/* One note per kind of input the graph could not see as a build would
 * (docs/architecture.md, "What a scan saw"). */
static void seen_notes(strbuf *b, const graph *g) {
    for (size_t i = 0; i < g->standins.n; i++) {
        const gstandin *s = &g->standins.v[i];
        strbuf_add(b, "cleave: note: stood in for ");
        strbuf_add_printable(b, s->header);
        if (s->from) {
            strbuf_add(b, " (made from ");
            strbuf_add_printable(b, s->from);
            strbuf_printf(b, ", %d switches on)", s->switches);
        } else if (s->switches) {
            strbuf_printf(b, " (no template: %d configure checks the code tests switched on)",
                          s->switches);
        } else {
            strbuf_add(b, " (empty: no template)");
        }
        if (s->units >= 0) strbuf_printf(b, ", included by %d unit%s", s->units, s->units == 1 ? "" : "s");
        strbuf_add(b, "\n");
    }
    for (unsigned kind = UNSEEN_GRAMMAR; kind <= UNSEEN_NO_ENTRY; kind++) {
        const char **names = xmallocarray(g->unseen.n + 1, sizeof *names);
        size_t n = 0;
        for (size_t i = 0; i < g->unseen.n; i++)
            if (g->unseen.v[i].kind == kind) names[n++] = g->unseen.v[i].file;
        if (n && kind == UNSEEN_GRAMMAR)
            strbuf_printf(b, "cleave: note: %zu grammar%s not seen: %s generated C is missing", n,
                          n == 1 ? "" : "s", n == 1 ? "its" : "their");
        else if (n)
            strbuf_printf(b, "cleave: note: %zu .c file%s not seen: the compile database has no "
                          "entry for %s", n, n == 1 ? "" : "s", n == 1 ? "it" : "them");
        if (n) {
            names_tail(b, names, n);
            strbuf_add(b, "\n");
        }
        free(names);
    }
    /* without a database: files read with the macro they require */
    size_t nreq = 0;
    const char **req = xmallocarray(g->builds.n + 1, sizeof *req);
    for (size_t i = 0; i < g->builds.n; i++)
        if (g->builds.v[i].entry == 0) req[nreq++] = g->builds.v[i].file;
    if (nreq) {
        const gbuild *d = g->builds.v;
        while (d->entry != 0) d++;
        strbuf_printf(b,
                      "cleave: note: %zu file%s at an #error unless a macro is defined, as "
                      "the tree's build must do; %s read with it (a stand-in for that build; ",
                      nreq, nreq == 1 ? " stops" : "s stop", nreq == 1 ? "it is" : "each is");
        strbuf_add_printable(b, d->with.v[0]);
        strbuf_add(b, nreq == 1 ? ")" : " for the first)");
        names_tail(b, req, nreq);
        strbuf_add(b, "\n");
    }
    free(req);
    if (g->builds.n > nreq) {
        const gbuild *d = &g->builds.v[0];
        while (d->entry == 0) d++;
        strbuf_printf(b,
                      "cleave: note: %zu file%s compiled in several ways; each is read as the "
                      "build agreeing with most of the database's other entries, e.g. ",
                      g->builds.n - nreq, g->builds.n - nreq == 1 ? " is" : "s are");
        strbuf_add_printable(b, d->file);
        for (size_t k = 0; k < d->with.n; k++) {
            strbuf_add(b, k ? " " : " with ");
            strbuf_add_printable(b, d->with.v[k]);
        }
        for (size_t k = 0; k < d->without.n; k++) {
            strbuf_add(b, k ? " " : (d->with.n ? ", without " : " without "));
            strbuf_add_printable(b, d->without.v[k]);
        }
        strbuf_printf(b, " (%d builds; agreement %lld of %lld)\n", d->builds, d->agree, d->of);
    }
    if (g->reads.n) {
        const gread *d = &g->reads.v[0];
        const char **units = xmallocarray(g->reads.n, sizeof *units);
        for (size_t i = 0; i < g->reads.n; i++) units[i] = g->reads.v[i].unit;
        strbuf_printf(b,
                      "cleave: note: %zu file%s read again, in the build of the programs "
                      "linking %s, as a unit \"file[build]\" of %s own, e.g. ",
                      g->reads.n, g->reads.n == 1 ? "" : "s", g->reads.n == 1 ? "it" : "them",
                      g->reads.n == 1 ? "its" : "their");
        strbuf_add_printable(b, d->unit);
        for (size_t k = 0; k < d->with.n; k++) {
            strbuf_add(b, k ? " " : " with ");
            strbuf_add_printable(b, d->with.v[k]);
        }
        if (d->entry) strbuf_printf(b, " (entry %d)", d->entry);
        strbuf_printf(b, " for %d program%s", d->programs, d->programs == 1 ? "" : "s");
        if (d->main) {
            strbuf_add(b, " (");
            strbuf_add_printable(b, d->main);
            strbuf_add(b, d->programs > 1 ? ", ...)" : ")");
        }
        names_tail(b, units, g->reads.n);
        strbuf_add(b, "\n");
        free(units);
    }
}

char *scan_summary_text(const graph *g) {
    strbuf b = {0};
    for (size_t i = 0; i < g->warnings.n; i++) {
        strbuf_add(&b, "cleave: warning: ");
        strbuf_add_printable(&b, g->warnings.v[i]);
        strbuf_add(&b, "\n");
    }
    seen_notes(&b, g);
    size_t indirect = 0;
    for (size_t i = 0; i < g->calls.n; i++) indirect += g->calls.v[i].indirect;
    char *seen = graph_seen_text(g);
    strbuf_printf(&b, "cleave: %s; %zu calls (%zu indirect), %zu globals", seen, g->calls.n,
                  indirect, g->globals.n);
    free(seen);
    if (g->flags_dropped) strbuf_printf(&b, "; %zu compile flags dropped", g->flags_dropped);
    return b.v;
}

char *scan_units_how(const scan_units *u) {
    strbuf b = {0};
    strbuf_printf(&b, "%zu parsed, %zu cached", u->parsed, u->cached);
    if (u->refused)
        strbuf_printf(&b, "; %zu cache entries refused (not signed with CLEAVE_CACHE_KEY)",
                      u->refused);
    return b.v;
}

void scan_summary(const graph *g, const scan_units *u) {
    char *text = scan_summary_text(g);
    char *how = u ? scan_units_how(u) : NULL;
    fprintf(stderr, "%s%s%s\n", text, how ? "; " : "", how ? how : "");
    free(how);
    free(text);
}

/* ---- second builds ---------------------------------------------------------
 *
 * A file a server and its client programs share is compiled once per
 * build (PostgreSQL's src/common: for the server, and with -DFRONTEND for
 * the clients); its unit is read once, in one build (compdb.c chooses it;
 * without a database, the file's own).  After the units are read, merge.c
 * names the builds the programs need and no unit holds: a program
 * reaches a file whose code tests a build macro its main's unit defines
 * otherwise.  Each such build is read as a unit of its own, "file[M]"
 * (project_job_unit): with a database, the file's first other entry
 * whose -D/-U agree with the program on those macros (none: not read);
 * without one, the file's arguments with -DM or -UM added.  What those
 * units reach may need more builds: rounds until none is new, at most
 * PROJECT_BUILDS_MAX, and at most PROJECT_BUILDS_MAX - 1 second builds
 * of a file.
 */

/* The arguments of job's build `build` into *out (and its directory and
 * database entry), or -1 when the database has none. */
static int buildargs(const project *p, const project_job *job, const char *build, strvec *out,
                     const char **dir, size_t *entry) {
    strvec want = {0};
    for (const char *at = build; *at;) {
        size_t n = strcspn(at, ",");
        strvec_push_owned(&want, xstrndup(at, n));
        at += n + (at[n] == ',');
    }
    int rc = -1;
    if (!p->db_path) {
        for (size_t i = 0; i < job->args.n; i++) strvec_push(out, job->args.v[i]);
        for (size_t i = 0; i < want.n; i++)
            strvec_push_owned(out, want.v[i][0] == '!' ? xasprintf("-U%s", want.v[i] + 1)
                                                        : xasprintf("-D%s", want.v[i]));
        *dir = job->directory;
        *entry = 0;
        rc = 0;
    }
    /* the file's builds: p->alts is sorted by file */
    size_t lo = 0, hi = p->alts.n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(p->alts.v[mid].file, job->file) < 0) lo = mid + 1;
        else hi = mid;
    }
    for (size_t a = lo; p->db_path && rc != 0 && a < p->alts.n; a++) {
        const project_alt *alt = &p->alts.v[a];
        if (strcmp(alt->file, job->file) != 0) break;
        size_t i = 0;
        while (i < want.n && project_args_define(&alt->args, want.v[i] + (want.v[i][0] == '!')) ==
                                 (want.v[i][0] != '!'))
            i++;
        if (i < want.n) continue;
        for (i = 0; i < alt->args.n; i++) strvec_push(out, alt->args.v[i]);
        *dir = alt->directory;
        *entry = alt->entry;
        rc = 0;
    }
    strvec_free(&want);
    return rc;
}

/* Appends the units of more to u. */
static void addunits(scan_units *u, scan_units *more) {
    u->tus = xreallocarray(u->tus, u->n + more->n, sizeof *u->tus);
    for (size_t i = 0; i < more->n; i++) u->tus[u->n + i] = more->tus[i];
    u->n += more->n;
    u->parsed += more->parsed;
    u->cached += more->cached;
    u->ok += more->ok;
    u->partial += more->partial;
    u->failed += more->failed;
    if (more->refused > u->refused) u->refused = more->refused;
    free(more->tus);
    *more = (scan_units){0};
}

/* Whether job's file can be read in `build`: a macro it must lack
 * ("!M") comes from the job's command line, not from its code (libpq's
 * files define FRONTEND in a header a -U cannot undo). */
static int undoable(const project_job *job, const char *build) {
    for (const char *at = build; *at;) {
        size_t n = strcspn(at, ",");
        if (*at == '!') {
            char *m = xstrndup(at + 1, n - 1);
            int ok = project_args_define(&job->args, m);
            free(m);
            if (!ok) return 0;
        }
        at += n + (at[n] == ',');
    }
    return 1;
}

static void readclear(scan_read *r) {
    free(r->unit);
    free(r->file);
    strvec_free(&r->with);
}

/* Takes out of u and reads the second builds in `unused` (sorted): read
 * for a program that, with the builds read since, no longer reaches
 * them, or that still does not follow them. */
static void dropunused(scan_units *u, struct scan_reads *reads, const strvec *unused) {
    strmap *drop = strmap_new();
    for (size_t i = 0; i < unused->n; i++) strmap_put(drop, unused->v[i], i);
    size_t o = 0;
    for (size_t i = 0; i < u->n; i++) {
        facts *f = u->tus[i];
        if (!strmap_get(drop, f->file, NULL)) {
            u->tus[o++] = f;
            continue;
        }
        u->ok -= f->status == UNIT_OK;
        u->partial -= f->status == UNIT_PARTIAL;
        u->failed -= f->status == UNIT_FAILED;
        facts_free(f);
    }
    u->n = o;
    o = 0;
    for (size_t i = 0; i < reads->n; i++) {
        scan_read *r = &reads->v[i];
        if (!strmap_get(drop, r->unit, NULL)) reads->v[o++] = *r;
        else readclear(r);
    }
    reads->n = o;
    strmap_free(drop);
}

/* Reads the second builds the programs of u need into u (see above),
 * recording each in *reads. */
static void secondbuilds(const project *p, const scan_options *opt, cache *c, scan_units *u,
                         struct scan_reads *reads) {
    strmap *unitjob = NULL; /* unit name -> job index */
    strmap *count = strmap_new(); /* unit name -> second builds read */
    strmap *tried = strmap_new(); /* "unit\x1f" "build" asked for */
    strvec unused = {0};
    int fresh = 0; /* unused is of the units as they are */
    for (int round = 0; round < PROJECT_BUILDS_MAX && !fresh; round++) {
        strvec wanted = {0};
        strvec_free(&unused);
        merge_wanted_builds(u->tus, u->n, &wanted, &unused);
        project q = *p;
        q.jobs.v = NULL;
        q.jobs.n = q.jobs.cap = 0;
        for (size_t w = 0; w < wanted.n; w++) {
            int added;
            strmap_intern(tried, wanted.v[w], 0, &added);
            if (!added) continue;
            const char *sep = strchr(wanted.v[w], '\x1f');
            char *unit = xstrndup(wanted.v[w], (size_t)(sep - wanted.v[w]));
            size_t j, k = 0;
            if (!unitjob) {
                unitjob = strmap_new();
                for (size_t i = 0; i < p->jobs.n; i++) {
                    char *name = project_job_unit(&p->jobs.v[i], p->root);
                    strmap_put(unitjob, name, i);
                    free(name);
                }
            }
            strmap_get(count, unit, &k);
            if (strmap_get(unitjob, unit, &j) && k + 1 < PROJECT_BUILDS_MAX &&
                undoable(&p->jobs.v[j], sep + 1)) {
                const project_job *job = &p->jobs.v[j];
                project_job nj = {0};
                const char *dir = NULL;
                size_t entry = 0;
                if (buildargs(p, job, sep + 1, &nj.args, &dir, &entry) == 0) {
                    nj.file = xstrdup(job->file);
                    nj.directory = xstrdup(dir);
                    nj.build = xstrdup(sep + 1);
                    for (size_t i = 0; i < job->macros.n; i++) strvec_push(&nj.macros, job->macros.v[i]);
                    VEC_PUSH(q.jobs, nj);
                    strmap_put(count, unit, k + 1);
                    scan_read r = {project_job_unit(&nj, p->root), unit, entry, {0}};
                    unit = NULL;
                    for (size_t i = 0; i < nj.args.n; i++)
                        if (!strvec_contains(&job->args, nj.args.v[i])) strvec_push(&r.with, nj.args.v[i]);
                    VEC_PUSH(*reads, r);
                } else {
                    strvec_free(&nj.args);
                }
            }
            free(unit);
        }
        strvec_free(&wanted);
        fresh = !q.jobs.n;
        if (fresh) break;
        scan_units more;
        rununits(&q, opt, c, &more, NULL);
        addunits(u, &more);
        for (size_t i = 0; i < q.jobs.n; i++) project_job_clear(&q.jobs.v[i]);
        free(q.jobs.v);
    }
    if (!fresh && reads->n) {
        strvec wanted = {0};
        strvec_free(&unused);
        merge_wanted_builds(u->tus, u->n, &wanted, &unused);
        strvec_free(&wanted);
    }
    if (unused.n) dropunused(u, reads, &unused);
    strvec_free(&unused);
    strmap_free(tried);
    strmap_free(count);
    strmap_free(unitjob);
}

void scan_second_builds(const project *p, const scan_options *opt, scan_units *u,
                        struct scan_reads *reads) {
    scan_options all = *opt; /* a second build is in no slice */
    all.shard_k = all.shard_n = 0;
    cache *c = all.cache_dir ? cache_new(all.cache_dir, p, all.cache_key, all.quiet) : NULL;
    secondbuilds(p, &all, c, u, reads);
    cache_free(c);
}

void scan_reads_free(struct scan_reads *r) {
    for (size_t i = 0; i < r->n; i++) readclear(&r->v[i]);
    free(r->v);
    *r = (struct scan_reads){0};
}

/* The graph of the whole project with the cache c (or NULL). */
static graph *wholegraph(const project *p, const char *display_root, const scan_options *opt,
                         cache *c, scan_units *u, char **key) {
    scan_options all = *opt;
    all.shard_k = all.shard_n = 0;
    rununits(p, &all, c, u, key);
    struct scan_reads reads = {0};
    secondbuilds(p, &all, c, u, &reads);
    /* the graph kept under the units' keys would not know of these */
    if (reads.n && key) {
        free(*key);
        *key = NULL;
    }
    char *db = scan_compile_db_name(p);
    size_t *units = scan_standin_units(p, u->tus, u->n);
    scan_source src = {db,          p->flags_dropped, p->standins.v, p->standins.n, units,
                       p->unseen.v, p->unseen.n,      p->builds.v,   p->builds.n,
                       reads.v,     reads.n};
    graph *g = scan_graph(u->tus, u->n, display_root, &src);
    scan_reads_free(&reads);
    free(units);
    free(db);
    return g;
}

graph *scan_project(const project *p, const char *display_root, const scan_options *opt,
                    size_t *parsed) {
    cache *c = opt->cache_dir ? cache_new(opt->cache_dir, p, opt->cache_key, opt->quiet) : NULL;
    scan_units u;
    graph *g = wholegraph(p, display_root, opt, c, &u, NULL);
    cache_free(c);
    if (!opt->quiet) scan_summary(g, &u);
    *parsed = u.ok + u.partial;
    scan_units_free(&u);
    return g;
}

/* Which cached graph entry belongs to this scan: the project and how it
 * is shown (the root as given and the database name are in the JSON). */
static char *graphname(const project *p, const char *display_root) {
    char *db = scan_compile_db_name(p);
    char *name = xasprintf("%s\x1f%s\x1f%s", p->root, display_root, db ? db : "");
    free(db);
    return name;
}

/*
 * What the whole graph depends on, when every unit's cache entry is known:
 * each unit with its entry's digest, and what else the JSON says of the
 * input: the stand-ins, the code no unit compiles, the builds chosen.
 * NULL when some unit has no entry.
 */
static char *keyof(const pool *pl) {
    strbuf b = {0};
    for (size_t i = 0; i < pl->n; i++) {
        if (!pl->kept[i]) {
            free(b.v);
            return NULL;
        }
        char hex[17];
        hash_hex(pl->digest[i], hex);
        strbuf_printf(&b, "%s %s\n", hex, pl->p->jobs.v[pl->sel[i]].file);
    }
    for (size_t i = 0; i < pl->p->standins.n; i++) {
        const project_standin *s = &pl->p->standins.v[i];
        strbuf_printf(&b, "stand-in %s %s %d\n", s->header, s->from ? s->from : "-", s->switches);
    }
    strbuf_printf(&b, "flags dropped %zu\n", pl->p->flags_dropped);
    for (size_t i = 0; i < pl->p->unseen.n; i++)
        strbuf_printf(&b, "unseen %u %s\n", pl->p->unseen.v[i].kind, pl->p->unseen.v[i].file);
    for (size_t i = 0; i < pl->p->builds.n; i++) {
        const project_build *pb = &pl->p->builds.v[i];
        strbuf_printf(&b, "build %s %zu %zu %zu %zu", pb->file, pb->builds, pb->entry, pb->agree,
                      pb->of);
        for (size_t k = 0; k < pb->with.n; k++) strbuf_printf(&b, " +%s", pb->with.v[k]);
        for (size_t k = 0; k < pb->without.n; k++) strbuf_printf(&b, " -%s", pb->without.v[k]);
        strbuf_add(&b, "\n");
    }
    return b.v;
}

/* The whole graph's key from the entries as they are, read in parallel. */
static char *probekey(const project *p, const scan_options *opt, cache *c) {
    scan_options all = *opt;
    all.shard_k = all.shard_n = 0;
    pool pl;
    poolinit(&pl, p, &all, c);
    pl.probe = 1;
    poolrun(&pl, &all);
    char *key = keyof(&pl);
    poolfree(&pl);
    return key;
}

char *scan_project_json(const project *p, const char *display_root, const scan_options *opt,
                        size_t *parsed) {
    cache *c = opt->cache_dir ? cache_new(opt->cache_dir, p, opt->cache_key, opt->quiet) : NULL;
    char *name = c ? graphname(p, display_root) : NULL;
    char *key = c ? probekey(p, opt, c) : NULL;
    char *summary = NULL;
    char *json = key ? cache_graph_load(c, name, key, &summary) : NULL;
    if (json) {
        /* nothing changed: the graph is the one merged last time */
        if (!opt->quiet) fprintf(stderr, "%s; 0 parsed, %zu cached\n", summary, p->jobs.n);
        *parsed = p->jobs.n;
    } else {
        scan_units u;
        free(key);
        graph *g = wholegraph(p, display_root, opt, c, &u, &key);
        summary = scan_summary_text(g);
        if (!opt->quiet) {
            char *how = scan_units_how(&u);
            fprintf(stderr, "%s; %s\n", summary, how);
            free(how);
        }
        json = graph_json_render(g);
        *parsed = u.ok + u.partial;
        /* keyed by the entries this scan read or wrote */
        if (key) cache_graph_store(c, name, key, json, summary);
        graph_free(g);
        scan_units_free(&u);
    }
    free(summary);
    free(key);
    free(name);
    cache_free(c);
    return json;
}
