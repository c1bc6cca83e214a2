/*
 * graph_load.c - graph JSON (GRAPH_SCHEMA, graph.h) back into a graph
 * (graph_load.h).
 *
 * The text is read with the jsonpos pull reader, never as a cJSON tree: a
 * graph of a million functions is several hundred megabytes of JSON, and a
 * tree of it would take gigabytes.  Records go straight into the graph;
 * strings are interned in the graph's pool, except call and access ends,
 * which are looked up among the functions and globals and kept as indexes.
 * The edges ("calls", "accesses") name functions and globals by id, so
 * they are read once both of those arrays are: at once when they come
 * later, as cleave writes them (one pass over the text), else in a second
 * pass from where the first noted them, whatever the member order.  Every check fails at the offending value, with its line and
 * column; sorted arrays are checked, not sorted, so a graph that loads
 * renders back to the same bytes.
 *
 * One figure of the graph is not in the JSON: stats.indirect_targets (the
 * JSON keeps only the mean over resolved sites, rounded to two decimals).
 * It is rebuilt as the whole number nearest to mean x resolved sites,
 * which gives the same mean again; every other field is read as written.
 *
 * A big "calls" array (most of a big graph) is read by two threads: a
 * worker starts at a record line past the middle, and its part counts
 * only when the main thread, reading from the start, lands exactly on that
 * record; then the two parts are joined and the seam checked for order.
 * Otherwise the main thread reads on alone and the worker's part is
 * dropped, so the result and every error are the same either way.
 *
 * Memory: the graph owns everything it holds; the loader's scratch (and
 * the worker's) is freed before returning.
 */
#define _POSIX_C_SOURCE 200809L
#include "graph/graph_load.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "graph/state.h"
#include "util/jsonpos.h"
#include "util/strmap.h"

#define SCHEMA GRAPH_SCHEMA

static const char *const LINKAGE[] = {"extern", "static"};
static const char *const GKIND[] = {"variable", "static_local", "field"};
static const char *const MODE[] = {"read", "write", "address"};
static const char *const STATUS[] = {"ok", "partial", "failed"};
static const char *const KIND[] = {"direct", "field", "type"};
static const char *const VIA[] = {"field", "global", "type", "unknown"};

/* Summary members, in the writer's order. */
enum {
    S_UNITS,
    S_OK,
    S_PARTIAL,
    S_FAILED,
    S_FUNCTIONS,
    S_EXTERNAL,
    S_GLOBALS,
    S_DIRECT,
    S_INDIRECT,
    S_SITES,
    S_RESOLVED,
    S_UNRESOLVED,
    S_AVG,
    S_BYVIA,
    S_FLAGS,
    S_COVERAGE,
    S_UNSEEN,
    S_BUILDS,
    S_PROGRAMS,
    S_OTHER_BUILD,
    S_SHARED,
    S_NEAREST,
    S_IN_PROGRAM,
    S_LEFT,
    S_N
};
static const char *const SUMMARY_KEYS[] = {"units",
                                           "ok",
                                           "partial",
                                           "failed",
                                           "functions",
                                           "external_functions",
                                           "globals",
                                           "direct_calls",
                                           "indirect_calls",
                                           "indirect_sites",
                                           "indirect_resolved",
                                           "indirect_unresolved",
                                           "indirect_targets_avg",
                                           "indirect_sites_by_via",
                                           "flags_dropped",
                                           "coverage",
                                           "unseen_files",
                                           "several_builds",
                                           "programs",
                                           "files_of_other_builds",
                                           "names_in_several_files",
                                           "calls_to_nearest",
                                           "calls_kept_in_program",
                                           "calls_left_unresolved"};

/* Hash index of the ids of a sorted record array (functions or globals):
 * slots hold record indexes, keys are the records' own id strings, so
 * nothing is copied.  Calls and accesses name their ends by id, millions
 * of times: bisecting would touch some twenty scattered ids per look-up. */
typedef struct idindex {
    const char *base;   /* the records */
    size_t size, idoff; /* record size, offset of its `id` */
    /* a slot holds a record's id and index (NONE = empty) and the high
     * bits of the id's hash: a look-up reads the slot and the id string,
     * not the record, and compares strings only when the bits agree */
    struct idslot {
        const char *id;
        size_t i;
        uint64_t hash;
    } *slot;
    size_t mask;        /* slots - 1, a power of two minus one */
} idindex;

#define NONE ((size_t)-1)

typedef struct loader {
    const char *name, *text;
    size_t len;
    jsonpos_reader r;
    graph *g;
    char *err;                  /* the first error */
    size_t calls_at, accesses_at; /* where the two edge arrays start, when
                                     left for the second pass (else 0) */
    int have_funcs, have_globals;   /* those arrays were read */
    int indexed;                    /* funcs and globals are indexed */
    long long summary[S_N];     /* counts as written (-1: absent); S_AVG, S_COVERAGE unused */
    double avg;                 /* indirect_targets_avg */
    double coverage;            /* -1: absent */
    strvec *options;            /* the build's "with" or "without" being read */
    const char *options_key;    /* and its name */
    long long via[4];           /* indirect_sites_by_via */
    int approximate;
    struct { gsite *v; size_t n, cap; } sites; /* the "at" being read */
    strbuf file;                /* scratch for a site's file */
    const char *lastfile;       /* the previous site's file, interned */
    size_t at;                  /* offset of the value being read */
    size_t fieldat[32];         /* offset of each member of the record just
                                   read (nested records overwrite it); a
                                   record has at most 32 keys, the bits of
                                   readrecord's `seen` */
    idindex funcs, globals;     /* for the edges */
    size_t lastfrom;            /* the previous edge's first end, or NONE */
    const char *hintfile;       /* that function's file: most sites are in it */
    pthread_mutex_t *poollock;  /* held around the pool while a worker runs */
} loader;

/* A record type: its member names (in the writer's order, which is tried
 * first), which ones are required, and the reader of one member. */
typedef struct rectype {
    const char *what; /* for messages: "a function record" */
    const char *const *keys;
    int nkeys;
    unsigned required; /* bit i: keys[i] */
    int (*member)(loader *ld, int key, void *rec);
} rectype;

/* ---- errors -------------------------------------------------------------- */

static int bad(loader *ld, size_t at, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

static int bad(loader *ld, size_t at, const char *fmt, ...) {
    if (ld->err) return -1;
    va_list ap;
    va_start(ap, fmt);
    ld->err = jsonpos_verror_at(ld->name, ld->text, at < ld->len ? at : ld->len, fmt, ap);
    va_end(ap);
    return -1;
}

/* The reader's own (syntax) error. */
static int readerr(loader *ld) {
    return bad(ld, ld->r.error_at, "%s", ld->r.error ? ld->r.error : "malformed JSON");
}

/* Checks that the next value has the type `what` needs and notes its
 * offset in ld->at; the message is "<what> must be <kind>", with what in
 * quotes when it is a member name.  JSONPOS_TRUE stands for either
 * boolean. */
static int typed(loader *ld, jsonpos_type want, const char *what, int quote, const char *kind) {
    jsonpos_type t = jsonpos_peek(&ld->r);
    ld->at = ld->r.pos;
    if (t == JSONPOS_BAD) return readerr(ld);
    if (t == want || (want == JSONPOS_TRUE && t == JSONPOS_FALSE)) return 0;
    return bad(ld, ld->at, quote ? "\"%s\" must be %s" : "%s must be %s", what, kind);
}

/* The same for the value of member `name`. */
static int mustbe(loader *ld, jsonpos_type want, const char *name, const char *kind) {
    return typed(ld, want, name, 1, kind);
}

/* ---- typed values -------------------------------------------------------- */

/* A string in the reader's scratch (valid until the next string read). */
static int getraw(loader *ld, const char *what, const char **out) {
    size_t n;
    if (mustbe(ld, JSONPOS_STRING, what, "a string") != 0) return -1;
    return jsonpos_string(&ld->r, out, &n) == 0 ? 0 : readerr(ld);
}

/* A string interned in the graph's pool. */
static int getstr(loader *ld, const char *what, const char **out) {
    const char *s;
    if (getraw(ld, what, &s) != 0) return -1;
    *out = strpool_intern(ld->g->pool, s);
    return 0;
}

static int getstr_or_null(loader *ld, const char *what, const char **out) {
    if (jsonpos_peek(&ld->r) == JSONPOS_NULL) {
        *out = NULL;
        return jsonpos_null(&ld->r) == 0 ? 0 : readerr(ld);
    }
    if (mustbe(ld, JSONPOS_STRING, what, "a string or null") != 0) return -1;
    return getstr(ld, what, out);
}

static int getcount(loader *ld, const char *what, long long max, long long *out) {
    const char *kind = max == INT_MAX ? "a non-negative integer below 2^31" : "a non-negative integer";
    if (mustbe(ld, JSONPOS_NUMBER, what, kind) != 0) return -1;
    if (jsonpos_int(&ld->r, 0, max, out) != 0) return bad(ld, ld->at, "\"%s\" must be %s", what, kind);
    return 0;
}

static int getint(loader *ld, const char *what, int *out) {
    long long v;
    if (getcount(ld, what, INT_MAX, &v) != 0) return -1;
    *out = (int)v;
    return 0;
}

static int getbool(loader *ld, const char *what, unsigned *out) {
    int b;
    if (mustbe(ld, JSONPOS_TRUE, what, "true or false") != 0) return -1;
    if (jsonpos_bool(&ld->r, &b) != 0) return readerr(ld);
    *out = (unsigned)b;
    return 0;
}

/* One of names[0..n) as its index. */
static int getenum(loader *ld, const char *what, const char *const *names, unsigned n,
                   unsigned *out) {
    const char *s;
    if (getraw(ld, what, &s) != 0) return -1;
    for (unsigned i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = i;
            return 0;
        }
    strbuf expected = {0};
    for (unsigned i = 0; i < n; i++)
        strbuf_printf(&expected, "%s%s", i == 0 ? "" : i + 1 < n ? ", " : " or ", names[i]);
    bad(ld, ld->at, "unknown %s \"%s\" (expected %s)", what, s, expected.v);
    free(expected.v);
    return -1;
}

/* ---- records and arrays -------------------------------------------------- */

/* Index of key in t->keys, trying `hint` first: records written by cleave
 * list their members in table order.  -1 for a member we do not know. */
static int keyindex(const rectype *t, int hint, const char *key) {
    if (hint < t->nkeys && strcmp(t->keys[hint], key) == 0) return hint;
    for (int i = 0; i < t->nkeys; i++)
        if (strcmp(t->keys[i], key) == 0) return i;
    return -1;
}

/* Reads one object of type t into rec.  Unknown members are skipped (a
 * newer writer may add some); a repeated or missing one is an error. */
static int readrecord(loader *ld, const rectype *t, void *rec) {
    if (typed(ld, JSONPOS_OBJECT, t->what, 0, "an object") != 0) return -1;
    size_t start = ld->at;
    unsigned seen = 0;
    int hint = 0, more;
    const char *key;
    size_t keylen;
    jsonpos_object(&ld->r);
    while ((more = jsonpos_member(&ld->r, &key, &keylen)) == 1) {
        int k = keyindex(t, hint, key);
        if (k < 0) {
            if (jsonpos_skip(&ld->r) != 0) return readerr(ld);
            continue;
        }
        if (jsonpos_peek(&ld->r) == JSONPOS_BAD) return readerr(ld);
        ld->fieldat[k] = ld->r.pos;
        if (seen & (1u << k)) return bad(ld, ld->r.pos, "%s has \"%s\" twice", t->what, t->keys[k]);
        seen |= 1u << k;
        hint = k + 1;
        if (t->member(ld, k, rec) != 0) return -1;
    }
    if (more < 0) return readerr(ld);
    for (int k = 0; k < t->nkeys; k++)
        if ((t->required & (1u << k)) && !(seen & (1u << k)))
            return bad(ld, start, "%s lacks \"%s\"", t->what, t->keys[k]);
    return 0;
}

/* Reads the array at the reader, calling element() for each item. */
static int readarray(loader *ld, const char *what, int (*element)(loader *ld, size_t i)) {
    int more;
    if (mustbe(ld, JSONPOS_ARRAY, what, "an array") != 0) return -1;
    jsonpos_array(&ld->r);
    for (size_t i = 0; (more = jsonpos_element(&ld->r)) == 1; i++)
        if (element(ld, i) != 0) return -1;
    return more < 0 ? readerr(ld) : 0;
}

/* Keys (a record's first member: ids, unit files) must increase strictly,
 * as graph.h promises (graph_find_func bisects them). */
static int keyorder(loader *ld, const char *what, const char *key, const char *prev,
                    const char *cur) {
    int c = strcmp(prev, cur);
    if (c == 0) return bad(ld, ld->fieldat[0], "duplicate %s %s \"%s\"", what, key, cur);
    if (c > 0)
        return bad(ld, ld->fieldat[0], "%ss are not sorted by %s: \"%s\" after \"%s\"", what, key,
                   cur, prev);
    return 0;
}

/* ---- sites: "file:line:col" ---------------------------------------------- */

static int cmpsite(const gsite *x, const gsite *y) {
    int c = strcmp(x->file ? x->file : "", y->file ? y->file : "");
    if (c) return c;
    if (x->line != y->line) return x->line < y->line ? -1 : 1;
    return (x->col > y->col) - (x->col < y->col);
}

/* Decimal digits s[0..n) as an int, or -1. */
static int digits(const char *s, size_t n) {
    long long v = 0;
    if (n == 0 || n > 10) return -1;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v <= INT_MAX ? (int)v : -1;
}

/* The last ':' in s[0..n), or NULL. */
static const char *lastcolon(const char *s, size_t n) {
    while (n > 0)
        if (s[--n] == ':') return s + n;
    return NULL;
}

static int site(loader *ld, size_t i) {
    const char *s;
    size_t n;
    (void)i;
    if (mustbe(ld, JSONPOS_STRING, "at", "an array of \"file:line:col\" strings") != 0) return -1;
    if (jsonpos_string(&ld->r, &s, &n) != 0) return readerr(ld);
    const char *c2 = lastcolon(s, n);
    const char *c1 = c2 ? lastcolon(s, (size_t)(c2 - s)) : NULL;
    gsite st = {0};
    if (!c1 || c1 == s || (st.line = digits(c1 + 1, (size_t)(c2 - c1 - 1))) < 0 ||
        (st.col = digits(c2 + 1, (size_t)(s + n - c2 - 1))) < 0)
        return bad(ld, ld->at, "site \"%s\" is not \"file:line:col\"", s);
    size_t flen = (size_t)(c1 - s);
    /* the writer puts "?" for a site without a file */
    if (!(flen == 1 && s[0] == '?')) {
        /* sites of one edge are mostly in one file, most often its
         * function's: skip the pool's hash */
        if (!ld->lastfile || strncmp(ld->lastfile, s, flen) != 0 || ld->lastfile[flen]) {
            if (ld->hintfile && strncmp(ld->hintfile, s, flen) == 0 && !ld->hintfile[flen]) {
                ld->lastfile = ld->hintfile;
            } else {
                ld->file.n = 0;
                strbuf_addn(&ld->file, s, flen);
                if (ld->poollock) pthread_mutex_lock(ld->poollock);
                ld->lastfile = strpool_intern(ld->g->pool, ld->file.v);
                if (ld->poollock) pthread_mutex_unlock(ld->poollock);
            }
        }
        st.file = ld->lastfile;
    }
    if (ld->sites.n && cmpsite(&ld->sites.v[ld->sites.n - 1], &st) > 0)
        return bad(ld, ld->at, "\"at\" is not sorted (by file, line, column)");
    VEC_PUSH(ld->sites, st);
    return 0;
}

/* Reads an "at" array into v/n/cap, allocated to its exact size: a graph
 * has millions of them, most holding one or two sites. */
static int readsites(loader *ld, gsite **v, size_t *n, size_t *cap) {
    ld->sites.n = 0;
    if (readarray(ld, "at", site) != 0) return -1;
    *n = *cap = ld->sites.n;
    *v = NULL;
    if (*n) {
        *v = xmallocarray(*n, sizeof **v);
        memcpy(*v, ld->sites.v, *n * sizeof **v);
    }
    return 0;
}

/* ---- stand_ins, warnings, units ------------------------------------------ */

static int standin_member(loader *ld, int key, void *rec) {
    gstandin *s = rec;
    switch (key) {
    case 0: return getstr(ld, "header", &s->header);
    case 1: return getstr_or_null(ld, "from", &s->from);
    case 2: return getint(ld, "switches", &s->switches);
    default: return getint(ld, "units", &s->units);
    }
}

/* "units" is optional: graphs written before it lack it */
static const char *const STANDIN_KEYS[] = {"header", "from", "switches", "units"};
static const rectype STANDIN = {"a stand-in record", STANDIN_KEYS, 4, 07, standin_member};

static int standin(loader *ld, size_t i) {
    gstandin s = {0};
    s.units = -1;
    (void)i;
    if (readrecord(ld, &STANDIN, &s) != 0) return -1;
    VEC_PUSH(ld->g->standins, s);
    return 0;
}

/* ---- unseen, builds -------------------------------------------------------- */

static const char *const UNSEEN[] = {"grammar", "no_entry"};

static int unseen_member(loader *ld, int key, void *rec) {
    gunseen *u = rec;
    if (key == 0) return getstr(ld, "file", &u->file);
    return getenum(ld, "reason", UNSEEN, 2, &u->kind);
}

static const char *const UNSEEN_KEYS[] = {"file", "reason"};
static const rectype UNSEENREC = {"an unseen-file record", UNSEEN_KEYS, 2, 03, unseen_member};

static int unseen(loader *ld, size_t i) {
    gunseen u = {0};
    if (readrecord(ld, &UNSEENREC, &u) != 0) return -1;
    if (i > 0 && keyorder(ld, "unseen file", "file", ld->g->unseen.v[i - 1].file, u.file) != 0)
        return -1;
    VEC_PUSH(ld->g->unseen, u);
    return 0;
}

static int option(loader *ld, size_t i) {
    const char *s;
    (void)i;
    if (getraw(ld, ld->options_key, &s) != 0) return -1;
    strvec_push(ld->options, s);
    return 0;
}

static const char *const BUILD_KEYS[] = {"file", "builds", "entry", "with", "without", "agree", "of"};

static int build_member(loader *ld, int key, void *rec) {
    gbuild *b = rec;
    long long v;
    switch (key) {
    case 0: return getstr(ld, "file", &b->file);
    case 1: return getint(ld, "builds", &b->builds);
    case 2: return getint(ld, "entry", &b->entry);
    case 3:
    case 4:
        ld->options = key == 3 ? &b->with : &b->without;
        ld->options_key = BUILD_KEYS[key];
        return readarray(ld, ld->options_key, option);
    case 5:
        if (getcount(ld, "agree", LLONG_MAX, &v) != 0) return -1;
        b->agree = v;
        return 0;
    default:
        if (getcount(ld, "of", LLONG_MAX, &v) != 0) return -1;
        b->of = v;
        return 0;
    }
}

static const rectype BUILD = {"a build record", BUILD_KEYS, 7, 0177, build_member};

static int build(loader *ld, size_t i) {
    gbuild b = {0};
    int rc = readrecord(ld, &BUILD, &b);
    if (rc == 0 && i > 0)
        rc = keyorder(ld, "build", "file", ld->g->builds.v[i - 1].file, b.file);
    /* entry 0: no database, the file read with the macro it requires */
    int required = b.entry == 0 && b.builds == 1 && b.with.n == 1 && !b.without.n && !b.of;
    if (rc == 0 && !required && (b.builds < 2 || b.entry < 1 || b.agree > b.of))
        rc = bad(ld, ld->fieldat[1],
                 "a build record needs \"builds\" >= 2, \"entry\" >= 1 "
                 "and \"agree\" <= \"of\", or \"entry\" 0, \"builds\" 1 and one "
                 "option \"with\" (a macro the file requires)");
    if (rc != 0) {
        strvec_free(&b.with);
        strvec_free(&b.without);
        return -1;
    }
    VEC_PUSH(ld->g->builds, b);
    return 0;
}

static const char *const READ_KEYS[] = {"unit", "file", "entry", "with", "programs", "main"};

static int read_member(loader *ld, int key, void *rec) {
    gread *r = rec;
    switch (key) {
    case 0: return getstr(ld, "unit", &r->unit);
    case 1: return getstr(ld, "file", &r->file);
    case 2: return getint(ld, "entry", &r->entry);
    case 3:
        ld->options = &r->with;
        ld->options_key = READ_KEYS[key];
        return readarray(ld, ld->options_key, option);
    case 4: return getint(ld, "programs", &r->programs);
    default: return getstr_or_null(ld, "main", &r->main);
    }
}

static const rectype READREC = {"a second-build record", READ_KEYS, 6, 077, read_member};

/* A second build's unit is its file's, then "[build]" (scan.c). */
static int secondbuild(loader *ld, size_t i) {
    gread r = {0};
    int rc = readrecord(ld, &READREC, &r);
    if (rc == 0 && i > 0)
        rc = keyorder(ld, "second build", "unit", ld->g->reads.v[i - 1].unit, r.unit);
    size_t n = r.file ? strlen(r.file) : 0;
    if (rc == 0 && (strncmp(r.unit, r.file, n) != 0 || r.unit[n] != '[' ||
                    r.unit[strlen(r.unit) - 1] != ']' || r.entry < 0 || r.programs < 0))
        rc = bad(ld, ld->fieldat[0],
                 "a second-build record needs \"unit\" to be \"file\" then \"[build]\", "
                 "and \"entry\" and \"programs\" >= 0");
    if (rc != 0) {
        strvec_free(&r.with);
        return -1;
    }
    VEC_PUSH(ld->g->reads, r);
    return 0;
}

static int warning(loader *ld, size_t i) {
    const char *s;
    (void)i;
    if (getraw(ld, "warnings", &s) != 0) return -1;
    strvec_push(&ld->g->warnings, s);
    return 0;
}

static int unit_error(loader *ld, size_t i) {
    const char *s;
    (void)i;
    if (getraw(ld, "errors", &s) != 0) return -1;
    gunit *u = &ld->g->units.v[ld->g->units.n - 1];
    strvec_push(&u->errors, s);
    return 0;
}

static int unit_header(loader *ld, size_t i) {
    const char *s;
    if (getraw(ld, "headers", &s) != 0) return -1;
    gunit *u = &ld->g->units.v[ld->g->units.n - 1];
    if (i > 0 && strcmp(u->headers.v[i - 1], s) >= 0)
        return bad(ld, ld->at, "\"headers\" are not sorted and unique: \"%s\"", s);
    strvec_push(&u->headers, s);
    return 0;
}

static int unit_member(loader *ld, int key, void *rec) {
    gunit *u = rec;
    switch (key) {
    case 0: return getstr(ld, "file", &u->file);
    case 1: return getenum(ld, "status", STATUS, 3, &u->status);
    case 2: return readarray(ld, "errors", unit_error);
    default: return readarray(ld, "headers", unit_header);
    }
}

static const char *const UNIT_KEYS[] = {"file", "status", "errors", "headers"};
static const rectype UNIT = {"a unit record", UNIT_KEYS, 4, 017, unit_member};

static int unit(loader *ld, size_t i) {
    /* pushed first so unit_error can append to it; graph_free frees it */
    gunit blank = {0};
    VEC_PUSH(ld->g->units, blank);
    gunit *u = &ld->g->units.v[ld->g->units.n - 1];
    if (readrecord(ld, &UNIT, u) != 0) return -1;
    return i > 0 ? keyorder(ld, "unit", "file", ld->g->units.v[i - 1].file, u->file) : 0;
}

/* ---- functions and globals ----------------------------------------------- */

static int func_member(loader *ld, int key, void *rec) {
    gfunc *f = rec;
    switch (key) {
    case 0: return getstr(ld, "id", &f->id);
    case 1: return getstr(ld, "name", &f->name);
    case 2: return getstr_or_null(ld, "file", &f->file);
    case 3: return getint(ld, "line", &f->line);
    case 4: return getint(ld, "end_line", &f->end_line);
    case 5: return getenum(ld, "linkage", LINKAGE, 2, &f->linkage);
    case 6: return getbool(ld, "defined", &f->defined);
    case 7: return getint(ld, "loc", &f->loc);
    default: return getbool(ld, "address_taken", &f->address_taken);
    }
}

static const char *const FUNC_KEYS[] = {"id", "name", "file", "line", "end_line",
                                        "linkage", "defined", "loc", "address_taken"};
static const rectype FUNC = {"a function record", FUNC_KEYS, 9, 0777, func_member};

static int func(loader *ld, size_t i) {
    gfunc f = {0};
    if (readrecord(ld, &FUNC, &f) != 0) return -1;
    if (i > 0 && keyorder(ld, "function", "id", ld->g->funcs.v[i - 1].id, f.id) != 0) return -1;
    VEC_PUSH(ld->g->funcs, f);
    return 0;
}

static int global_member(loader *ld, int key, void *rec) {
    gglobal *v = rec;
    switch (key) {
    case 0: return getstr(ld, "id", &v->id);
    case 1: return getstr(ld, "name", &v->name);
    case 2: return getstr_or_null(ld, "file", &v->file);
    case 3: return getint(ld, "line", &v->line);
    case 4: return getenum(ld, "linkage", LINKAGE, 2, &v->linkage);
    case 5: return getenum(ld, "kind", GKIND, 3, &v->kind);
    case 6: return getbool(ld, "defined", &v->defined);
    default: return getstr(ld, "parent", &v->parent);
    }
}

static const char *const GLOBAL_KEYS[] = {"id", "name", "file", "line",
                                          "linkage", "kind", "defined", "parent"};
/* "parent" is optional: the writer leaves it out when there is none */
static const rectype GLOBAL = {"a global record", GLOBAL_KEYS, 8, 0177, global_member};

static int global(loader *ld, size_t i) {
    gglobal v = {0};
    if (readrecord(ld, &GLOBAL, &v) != 0) return -1;
    if (i > 0 && keyorder(ld, "global", "id", ld->g->globals.v[i - 1].id, v.id) != 0) return -1;
    VEC_PUSH(ld->g->globals, v);
    return 0;
}

/* ---- calls and accesses -------------------------------------------------- */

static uint64_t hashid(const char *s) {
    uint64_t h = 1469598103934665603ULL; /* FNV-1a */
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

static const char *idat(const idindex *x, size_t i) {
    const char *id;
    memcpy(&id, x->base + i * x->size + x->idoff, sizeof id);
    return id;
}

/* Indexes n records of `size` bytes at base whose id is at idoff; the
 * records must not move while the index is used.  At most half full. */
static void index_build(idindex *x, const void *base, size_t n, size_t size, size_t idoff) {
    size_t cap = 16;
    while (cap < 2 * n) cap *= 2;
    x->base = base;
    x->size = size;
    x->idoff = idoff;
    x->mask = cap - 1;
    x->slot = xmallocarray(cap, sizeof *x->slot);
    for (size_t i = 0; i < cap; i++) x->slot[i].i = NONE;
    for (size_t i = 0; i < n; i++) {
        const char *id = idat(x, i);
        uint64_t hash = hashid(id);
        size_t h = (size_t)hash & x->mask;
        while (x->slot[h].i != NONE) h = (h + 1) & x->mask;
        x->slot[h] = (struct idslot){id, i, hash};
    }
}

static size_t index_find(const idindex *x, const char *id) {
    uint64_t hash = hashid(id);
    for (size_t h = (size_t)hash & x->mask; x->slot[h].i != NONE; h = (h + 1) & x->mask)
        if (x->slot[h].hash == hash && strcmp(x->slot[h].id, id) == 0) return x->slot[h].i;
    return NONE;
}

/* Index of the function (or global) a call or access names.  The edges
 * are sorted by their first end, so for that one (first = 1) the previous
 * record's is tried before the index. */
static int getref(loader *ld, const char *what, int global, int first, size_t *out) {
    const char *s;
    size_t n;
    const idindex *x = global ? &ld->globals : &ld->funcs;
    if (mustbe(ld, JSONPOS_STRING, what, "a string") != 0) return -1;
    if (jsonpos_string(&ld->r, &s, &n) != 0) return readerr(ld);
    if (first && ld->lastfrom != NONE && strcmp(idat(x, ld->lastfrom), s) == 0) {
        *out = ld->lastfrom;
        return 0;
    }
    *out = index_find(x, s);
    if (first) {
        ld->lastfrom = *out;
        ld->hintfile = *out != NONE ? ld->g->funcs.v[*out].file : NULL;
    }
    if (*out == NONE)
        return bad(ld, ld->at, "\"%s\" names no %s: \"%s\"", what, global ? "global" : "function", s);
    return 0;
}

static int call_member(loader *ld, int key, void *rec) {
    gcall *c = rec;
    switch (key) {
    case 0: return getref(ld, "from", 0, 1, &c->from);
    case 1: return getref(ld, "to", 0, 0, &c->to);
    case 2:
        if (getenum(ld, "kind", KIND, EV_COUNT, &c->evidence) != 0) return -1;
        c->indirect = c->evidence != EV_DIRECT;
        return 0;
    case 3: return getint(ld, "sites", &c->sites);
    case 4: return getint(ld, "loop_depth", &c->loop_depth);
    default: return readsites(ld, &c->at.v, &c->at.n, &c->at.cap);
    }
}

static const char *const CALL_KEYS[] = {"from", "to", "kind", "sites", "loop_depth", "at"};
static const rectype CALL = {"a call record", CALL_KEYS, 6, 077, call_member};

/* Three-way comparison of two (a, b, c) index triples. */
static int cmp3(size_t a1, size_t b1, unsigned c1, size_t a2, size_t b2, unsigned c2) {
    if (a1 != a2) return a1 < a2 ? -1 : 1;
    if (b1 != b2) return b1 < b2 ? -1 : 1;
    return (c1 > c2) - (c1 < c2);
}

static int call(loader *ld, size_t i) {
    gcall c = {0};
    int rc = readrecord(ld, &CALL, &c);
    if (rc == 0 && (size_t)c.sites != c.at.n)
        rc = bad(ld, ld->fieldat[3], "\"sites\" is %d but \"at\" lists %zu", c.sites, c.at.n);
    if (rc == 0 && i > 0) {
        const gcall *p = &ld->g->calls.v[i - 1];
        int o = cmp3(p->from, p->to, p->evidence, c.from, c.to, c.evidence);
        if (o >= 0)
            rc = bad(ld, ld->fieldat[0], o == 0 ? "duplicate call %s -> %s (%s)"
                                                : "calls are not sorted by (from, to, kind): %s -> %s (%s)",
                     ld->g->funcs.v[c.from].id, ld->g->funcs.v[c.to].id, KIND[c.evidence]);
    }
    if (rc != 0) {
        free(c.at.v);
        return -1;
    }
    VEC_PUSH(ld->g->calls, c);
    return 0;
}

static int access_member(loader *ld, int key, void *rec) {
    gaccess *a = rec;
    switch (key) {
    case 0: return getref(ld, "function", 0, 1, &a->function);
    case 1: return getref(ld, "global", 1, 0, &a->global);
    case 2: return getenum(ld, "mode", MODE, 3, &a->mode);
    case 3: return getint(ld, "count", &a->count);
    default: return readsites(ld, &a->at.v, &a->at.n, &a->at.cap);
    }
}

static const char *const ACCESS_KEYS[] = {"function", "global", "mode", "count", "at"};
static const rectype ACCESS = {"an access record", ACCESS_KEYS, 5, 037, access_member};

static int accessrec(loader *ld, size_t i) {
    gaccess a = {0};
    int rc = readrecord(ld, &ACCESS, &a);
    if (rc == 0 && (size_t)a.count != a.at.n)
        rc = bad(ld, ld->fieldat[3], "\"count\" is %d but \"at\" lists %zu", a.count, a.at.n);
    if (rc == 0 && i > 0) {
        const gaccess *p = &ld->g->accesses.v[i - 1];
        int o = cmp3(p->function, p->global, p->mode, a.function, a.global, a.mode);
        if (o >= 0)
            rc = bad(ld, ld->fieldat[0], o == 0 ? "duplicate access %s -> %s (%s)"
                                                : "accesses are not sorted by (function, global, mode): %s -> %s (%s)",
                     ld->g->funcs.v[a.function].id, ld->g->globals.v[a.global].id, MODE[a.mode]);
    }
    if (rc != 0) {
        free(a.at.v);
        return -1;
    }
    VEC_PUSH(ld->g->accesses, a);
    return 0;
}

/* ---- summary -------------------------------------------------------------- */

static int via_member(loader *ld, int key, void *rec) {
    long long *via = rec;
    return getcount(ld, VIA[key], LLONG_MAX, &via[key]);
}

static const rectype BYVIA = {"\"indirect_sites_by_via\"", VIA, 4, 017, via_member};

static int summary_member(loader *ld, int key, void *rec) {
    (void)rec;
    if (key == S_AVG) {
        if (mustbe(ld, JSONPOS_NUMBER, SUMMARY_KEYS[key], "a number") != 0) return -1;
        return jsonpos_number(&ld->r, &ld->avg) == 0 ? 0 : readerr(ld);
    }
    if (key == S_COVERAGE) {
        if (mustbe(ld, JSONPOS_NUMBER, SUMMARY_KEYS[key], "a number") != 0) return -1;
        return jsonpos_number(&ld->r, &ld->coverage) == 0 ? 0 : readerr(ld);
    }
    if (key == S_BYVIA) return readrecord(ld, &BYVIA, ld->via);
    return getcount(ld, SUMMARY_KEYS[key], LLONG_MAX, &ld->summary[key]);
}

/* flags_dropped, the coverage counts and the program counts are
 * optional: graphs written before them lack them */
_Static_assert(S_N <= 32, "a record has at most 32 keys");
#define PROGRAM_KEYS                                                                               \
    (1u << S_PROGRAMS | 1u << S_OTHER_BUILD | 1u << S_SHARED | 1u << S_NEAREST |                   \
     1u << S_IN_PROGRAM | 1u << S_LEFT)
static const rectype SUMMARY = {
    "\"summary\"", SUMMARY_KEYS, S_N,
    ((1u << S_N) - 1) &
        ~(1u << S_FLAGS | 1u << S_COVERAGE | 1u << S_UNSEEN | 1u << S_BUILDS | PROGRAM_KEYS),
    summary_member};

/* The mean the writer prints for `targets` over `resolved` sites: two
 * decimals, rounded half up (analyzer/graph/graph_json.c). */
static double mean2(size_t targets, size_t resolved) {
    return resolved ? (double)(long)((double)targets * 100.0 / (double)resolved + 0.5) / 100.0 : 0.0;
}

/* Files defining an extern main: the programs (scan/merge.c).  The
 * functions are sorted by id, and each main after the first is
 * "file:main", so equal files are neighbours only by chance: a set. */
static size_t mainfiles(const graph *g) {
    strmap *seen = strmap_new();
    for (size_t i = 0; i < g->funcs.n; i++) {
        const gfunc *f = &g->funcs.v[i];
        if (f->defined && f->file && f->linkage == LINK_EXTERN && strcmp(f->name, "main") == 0)
            strmap_put(seen, f->file, 1);
    }
    size_t n = strmap_count(seen);
    strmap_free(seen);
    return n;
}

/* How many of the program counts the summary gives (-1: absent). */
static int programs_given(const loader *ld) {
    int n = 0;
    for (int k = S_PROGRAMS; k <= S_LEFT; k++) n += ld->summary[k] >= 0;
    return n;
}

/* The summary must describe the records it sits above. */
static int checksummary(loader *ld) {
    const graph *g = ld->g;
    size_t have[S_N] = {0};
    have[S_UNITS] = g->units.n;
    for (size_t i = 0; i < g->units.n; i++) have[S_OK + g->units.v[i].status]++;
    for (size_t i = 0; i < g->funcs.n; i++) have[S_FUNCTIONS] += g->funcs.v[i].defined;
    have[S_EXTERNAL] = g->funcs.n - have[S_FUNCTIONS];
    have[S_GLOBALS] = g->globals.n;
    for (size_t i = 0; i < g->calls.n; i++) have[g->calls.v[i].indirect ? S_INDIRECT : S_DIRECT]++;
    for (int k = S_UNITS; k <= S_INDIRECT; k++)
        if ((unsigned long long)ld->summary[k] != have[k]) {
            char *ptr = xasprintf("/summary/%s", SUMMARY_KEYS[k]);
            ld->err = jsonpos_error(ld->name, ld->text, ld->len, ptr,
                                    "summary says %lld %s, the records hold %zu", ld->summary[k],
                                    SUMMARY_KEYS[k], have[k]);
            free(ptr);
            return -1;
        }

    long long sites = ld->summary[S_SITES], resolved = ld->summary[S_RESOLVED];
    const char *ptr = NULL, *msg = NULL;
    if (resolved > sites) {
        ptr = "/summary/indirect_resolved";
        msg = "more indirect sites resolved than there are";
    } else if (ld->summary[S_UNRESOLVED] != sites - resolved) {
        ptr = "/summary/indirect_unresolved";
        msg = "\"indirect_unresolved\" is not \"indirect_sites\" - \"indirect_resolved\"";
    } else if ((unsigned long long)ld->via[0] + (unsigned long long)ld->via[1] +
                   (unsigned long long)ld->via[2] + (unsigned long long)ld->via[3] !=
               (unsigned long long)sites) {
        ptr = "/summary/indirect_sites_by_via";
        msg = "\"indirect_sites_by_via\" does not add up to \"indirect_sites\"";
    } else if (ld->coverage >= 0 && ld->coverage != graph_coverage(g)) {
        ptr = "/summary/coverage";
        msg = "\"coverage\" is not the share of units that are \"ok\"";
    } else if (ld->summary[S_UNSEEN] >= 0 && (size_t)ld->summary[S_UNSEEN] != g->unseen.n) {
        ptr = "/summary/unseen_files";
        msg = "\"unseen_files\" is not the length of \"unseen\"";
    } else if (ld->summary[S_BUILDS] >= 0 && (size_t)ld->summary[S_BUILDS] != g->builds.n) {
        ptr = "/summary/several_builds";
        msg = "\"several_builds\" is not the length of \"builds\"";
    } else if (programs_given(ld) % (S_LEFT - S_PROGRAMS + 1) != 0) {
        ptr = "/summary";
        msg = "the program counts (\"programs\" to \"calls_left_unresolved\") come all or none";
    } else if (ld->summary[S_PROGRAMS] >= 0 && (size_t)ld->summary[S_PROGRAMS] != mainfiles(g)) {
        ptr = "/summary/programs";
        msg = "\"programs\" is not the number of files defining an extern main";
    } else if (ld->approximate != (g->compile_db == NULL)) {
        ptr = "/approximate";
        msg = "\"approximate\" must be true exactly when \"compile_db\" is null";
    }
    /* rebuild the total from the rounded mean: the true total is within
     * resolved/200 of mean * resolved, so the integer below or above that
     * product gives the same mean */
    size_t targets = 0;
    if (!msg && resolved > 0) {
        double x = ld->avg * (double)resolved;
        int found = 0;
        if (x >= 0 && x < 1e15)
            for (size_t t = (size_t)x; t <= (size_t)x + 1 && !found; t++)
                if (mean2(t, (size_t)resolved) == ld->avg) {
                    targets = t;
                    found = 1;
                }
        if (!found) {
            ptr = "/summary/indirect_targets_avg";
            msg = "\"indirect_targets_avg\" is not a mean of whole target counts over the resolved sites";
        }
    } else if (!msg && ld->avg != 0.0) {
        ptr = "/summary/indirect_targets_avg";
        msg = "\"indirect_targets_avg\" must be 0 without resolved sites";
    }
    if (msg) {
        ld->err = jsonpos_error(ld->name, ld->text, ld->len, ptr, "%s", msg);
        return -1;
    }
    graph_stats *st = &ld->g->stats;
    st->indirect_sites = (size_t)sites;
    st->indirect_resolved = (size_t)resolved;
    st->indirect_targets = targets;
    for (int i = 0; i < 4; i++) st->indirect_by_via[i] = (size_t)ld->via[i];
    ld->g->flags_dropped = (size_t)ld->summary[S_FLAGS];
    if (programs_given(ld)) {
        st->programs_known = 1;
        st->programs = (size_t)ld->summary[S_PROGRAMS];
        st->other_build_files = (size_t)ld->summary[S_OTHER_BUILD];
        st->shared_names = (size_t)ld->summary[S_SHARED];
        st->calls_nearest = (size_t)ld->summary[S_NEAREST];
        st->calls_in_program = (size_t)ld->summary[S_IN_PROGRAM];
        st->calls_unresolved = (size_t)ld->summary[S_LEFT];
    }
    return 0;
}

/* ---- top level ------------------------------------------------------------ */

enum {
    T_SCHEMA, T_ROOT, T_COMPILE_DB, T_APPROXIMATE, T_SUMMARY, T_STAND_INS, T_UNSEEN, T_BUILDS,
    T_SECOND_BUILDS, T_WARNINGS, T_UNITS, T_FUNCTIONS, T_GLOBALS, T_CALLS, T_ACCESSES, T_N
};
static const char *const TOP_KEYS[] = {"schema", "root", "compile_db", "approximate",
                                       "summary", "stand_ins", "unseen", "builds",
                                       "second_builds", "warnings", "units", "functions",
                                       "globals", "calls", "accesses"};

/* Shrinks a vector to its length: the loader's are built by doubling. */
#define SHRINK(a)                                                          \
    do {                                                                   \
        if ((a).n < (a).cap) {                                             \
            (a).v = xreallocarray((a).v, (a).n, sizeof *(a).v);             \
            (a).cap = (a).n ? (a).n : 1;                                   \
        }                                                                  \
    } while (0)

/* Indexes the functions and globals read so far (once: their arrays are
 * complete and no longer move). */
static void indexends(loader *ld) {
    if (ld->indexed) return;
    ld->indexed = 1;
    SHRINK(ld->g->funcs);
    SHRINK(ld->g->globals);
    index_build(&ld->funcs, ld->g->funcs.v, ld->g->funcs.n, sizeof(gfunc), offsetof(gfunc, id));
    index_build(&ld->globals, ld->g->globals.v, ld->g->globals.n, sizeof(gglobal),
                offsetof(gglobal, id));
}

/* ---- the calls array, by two threads when big ---------------------------- */

#define SPLIT_MIN ((size_t)16 << 20) /* bytes after the array's start */
#define RECORD_LINE "\n    {\"from\":" /* a call record as cleave lays it out */

/* The worker's half: its own loader (reader, scratch, error) over the same
 * text, index and pool, and a graph shell whose calls are its own. */
typedef struct calljob {
    loader ld;
    graph shell;
    size_t start;    /* its first record's '{' */
    size_t end;      /* after the array's ']' */
    size_t first_at; /* its first record's first member, for a seam error */
    int rc;
} calljob;

static void *callworker(void *arg) {
    calljob *j = arg;
    loader *ld = &j->ld;
    ld->r.pos = j->start;
    ld->r.first = 0;
    j->rc = -1;
    for (size_t i = 0;; i++) {
        if (call(ld, i) != 0) return NULL;
        if (i == 0) j->first_at = ld->fieldat[0];
        int more = jsonpos_element(&ld->r);
        if (more < 0) {
            readerr(ld);
            return NULL;
        }
        if (more == 0) break;
    }
    j->end = ld->r.pos;
    j->rc = 0;
    return NULL;
}

/* Where a worker can start on the calls array whose '[' is at `at`: the
 * first record line past the middle of the text after it; 0 for none. */
static size_t splitpoint(const loader *ld, size_t at) {
    size_t rest = ld->len - at, n = sizeof RECORD_LINE - 1;
    if (rest < SPLIT_MIN) return 0;
    for (size_t i = at + rest / 2 * 9 / 10; i + n <= ld->len; i++) {
        const char *nl = memchr(ld->text + i, '\n', ld->len - i);
        if (!nl) return 0;
        i = (size_t)(nl - ld->text);
        if (i + n <= ld->len && memcmp(nl, RECORD_LINE, n) == 0) return i + 5;
    }
    return 0;
}

static void dropcalls(graph *shell) {
    for (size_t i = 0; i < shell->calls.n; i++) free(shell->calls.v[i].at.v);
    free(shell->calls.v);
}

/* The calls array at the reader: readarray(ld, "calls", call), with a
 * worker on its second half when it is big. */
static int readcalls(loader *ld) {
    if (mustbe(ld, JSONPOS_ARRAY, "calls", "an array") != 0) return -1;
    size_t split = splitpoint(ld, ld->at);
    pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    calljob *j = NULL;
    pthread_t worker;
    if (split) {
        j = xcalloc(1, sizeof *j);
        j->ld = *ld;
        j->ld.err = NULL;
        memset(&j->ld.sites, 0, sizeof j->ld.sites);
        memset(&j->ld.file, 0, sizeof j->ld.file);
        jsonpos_reader_init(&j->ld.r, ld->text, ld->len);
        j->shell.funcs = ld->g->funcs;
        j->shell.pool = ld->g->pool;
        j->ld.g = &j->shell;
        j->ld.poollock = &lock;
        j->start = split;
        if (pthread_create(&worker, NULL, callworker, j) == 0) {
            ld->poollock = &lock;
        } else {
            jsonpos_reader_free(&j->ld.r);
            free(j);
            j = NULL;
        }
    }
    int more, rc = 0, joined = 0;
    jsonpos_array(&ld->r);
    for (size_t i = 0; (more = jsonpos_element(&ld->r)) == 1; i++) {
        if (j && jsonpos_peek(&ld->r) != JSONPOS_BAD && ld->r.pos == split) {
            joined = 1;
            break;
        }
        if (call(ld, i) != 0) {
            rc = -1;
            break;
        }
    }
    if (rc == 0 && more < 0) rc = readerr(ld);
    if (!j) return rc;
    pthread_join(worker, NULL);
    ld->poollock = NULL;
    if (joined && j->rc == 0 && ld->g->calls.n && j->shell.calls.n) {
        const gcall *p = &ld->g->calls.v[ld->g->calls.n - 1], *c = &j->shell.calls.v[0];
        int o = cmp3(p->from, p->to, p->evidence, c->from, c->to, c->evidence);
        if (o >= 0) {
            rc = bad(ld, j->first_at, o == 0 ? "duplicate call %s -> %s (%s)"
                                             : "calls are not sorted by (from, to, kind): %s -> %s (%s)",
                     ld->g->funcs.v[c->from].id, ld->g->funcs.v[c->to].id, KIND[c->evidence]);
        }
    }
    if (joined && rc == 0 && j->rc != 0) {
        ld->err = j->ld.err; /* the first error: nothing before the seam had one */
        j->ld.err = NULL;
        rc = -1;
    }
    if (joined && rc == 0) {
        VEC_RESERVE(ld->g->calls, ld->g->calls.n + j->shell.calls.n);
        memcpy(ld->g->calls.v + ld->g->calls.n, j->shell.calls.v,
               j->shell.calls.n * sizeof *j->shell.calls.v);
        ld->g->calls.n += j->shell.calls.n;
        free(j->shell.calls.v);
        ld->r.pos = j->end;
        ld->r.first = 0;
    } else {
        dropcalls(&j->shell);
    }
    free(j->ld.err);
    free(j->ld.sites.v);
    free(j->ld.file.v);
    jsonpos_reader_free(&j->ld.r);
    free(j);
    return rc;
}

/* The edge array (T_CALLS or T_ACCESSES) that starts at `at`. */
static int edges(loader *ld, size_t at, int key) {
    ld->r.pos = at;
    ld->lastfile = NULL;
    ld->lastfrom = NONE;
    ld->hintfile = NULL;
    return key == T_CALLS ? readcalls(ld) : readarray(ld, "accesses", accessrec);
}

static int schema(loader *ld) {
    const char *s;
    size_t n;
    if (mustbe(ld, JSONPOS_STRING, "schema", "a string") != 0) return -1;
    if (jsonpos_string(&ld->r, &s, &n) != 0) return readerr(ld);
    if (strcmp(s, "cleave.graph/1") == 0)
        return bad(ld, ld->at, "schema is \"%s\", not \"%s\": a graph of an older cleave, "
                   "whose calls do not say their evidence; scan again", s, SCHEMA);
    if (strcmp(s, SCHEMA) != 0)
        return bad(ld, ld->at, "schema is \"%s\", not \"%s\": not a cleave graph", s, SCHEMA);
    return 0;
}

static int top_member(loader *ld, int key, void *rec) {
    unsigned approximate;
    (void)rec;
    switch (key) {
    case T_SCHEMA: return schema(ld);
    case T_ROOT: return getstr(ld, "root", &ld->g->root);
    case T_COMPILE_DB: return getstr_or_null(ld, "compile_db", &ld->g->compile_db);
    case T_APPROXIMATE:
        if (getbool(ld, "approximate", &approximate) != 0) return -1;
        ld->approximate = (int)approximate;
        return 0;
    case T_SUMMARY: return readrecord(ld, &SUMMARY, NULL);
    case T_STAND_INS: return readarray(ld, "stand_ins", standin);
    case T_UNSEEN: return readarray(ld, "unseen", unseen);
    case T_BUILDS: return readarray(ld, "builds", build);
    case T_SECOND_BUILDS: return readarray(ld, "second_builds", secondbuild);
    case T_WARNINGS: return readarray(ld, "warnings", warning);
    case T_UNITS: return readarray(ld, "units", unit);
    case T_FUNCTIONS:
        ld->have_funcs = 1;
        return readarray(ld, "functions", func);
    case T_GLOBALS:
        ld->have_globals = 1;
        return readarray(ld, "globals", global);
    default:
        if (mustbe(ld, JSONPOS_ARRAY, TOP_KEYS[key], "an array") != 0) return -1;
        if (ld->have_funcs && ld->have_globals) {
            indexends(ld);
            return edges(ld, ld->at, key);
        }
        /* their ends are looked up among functions and globals, which
         * come later: the second pass */
        *(key == T_CALLS ? &ld->calls_at : &ld->accesses_at) = ld->at;
        return jsonpos_skip(&ld->r) == 0 ? 0 : readerr(ld);
    }
}

/* "unseen" and "builds" are optional: graphs written before them lack
 * them; "second_builds" is written only when some file was read twice */
static const rectype TOP = {"the graph", TOP_KEYS, T_N,
                            ((1u << T_N) - 1) &
                                ~(1u << T_UNSEEN | 1u << T_BUILDS | 1u << T_SECOND_BUILDS),
                            top_member};

int graph_load_text(const char *name, const char *text, size_t len, graph **out, char **err) {
    loader ld = {0};
    ld.name = name;
    ld.text = text;
    ld.len = len;
    ld.g = graph_new("");
    ld.coverage = -1;
    ld.summary[S_UNSEEN] = ld.summary[S_BUILDS] = -1;
    for (int k = S_PROGRAMS; k <= S_LEFT; k++) ld.summary[k] = -1;
    jsonpos_reader_init(&ld.r, text, len);
    *out = NULL;
    int rc = -1;

    /* Another kind of file should hear that first, wherever its schema is. */
    size_t off;
    if (jsonpos_find(text, len, "/schema", &off) == 0) {
        ld.r.pos = off;
        if (schema(&ld) != 0) goto cleanup;
        ld.r.pos = 0;
    }
    if (readrecord(&ld, &TOP, NULL) != 0) goto cleanup;
    if (jsonpos_finish(&ld.r) != 0) {
        readerr(&ld);
        goto cleanup;
    }
    SHRINK(ld.g->units);
    indexends(&ld);
    /* the second pass, for edges that came before functions or globals */
    if (ld.calls_at && edges(&ld, ld.calls_at, T_CALLS) != 0) goto cleanup;
    if (ld.accesses_at && edges(&ld, ld.accesses_at, T_ACCESSES) != 0) goto cleanup;
    if (checksummary(&ld) != 0) goto cleanup;
    SHRINK(ld.g->calls);
    SHRINK(ld.g->accesses);
    state_derive(ld.g);
    *out = ld.g;
    ld.g = NULL;
    rc = 0;
cleanup:
    if (rc != 0) *err = ld.err ? ld.err : xasprintf("%s: malformed graph", name);
    graph_free(ld.g);
    jsonpos_reader_free(&ld.r);
    free(ld.sites.v);
    free(ld.file.v);
    free(ld.funcs.slot);
    free(ld.globals.slot);
    return rc;
}

int graph_load(const char *path, graph **out, char **err) {
    /* A regular file is mapped rather than read: its pages stay clean page
     * cache the kernel can drop, so a big graph costs the memory of the
     * graph, not that plus its text.  An empty file (nothing to map) is
     * read; anything but a regular file is refused (file_read_all says
     * why), without blocking on a FIFO. */
    *out = NULL;
    struct stat st;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
        size_t len = (size_t)st.st_size;
        void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
        close(fd);
        if (map != MAP_FAILED) {
            int rc = graph_load_text(path, map, len, out, err);
            munmap(map, len);
            return rc;
        }
    } else if (fd >= 0) {
        close(fd);
    }
    size_t len;
    char *text = file_read_all(path, &len);
    if (!text) {
        *err = xasprintf("%s: %s", path, file_strerror(errno));
        return -1;
    }
    int rc = graph_load_text(path, text, len, out, err);
    free(text);
    return rc;
}
