/*
 * evidence.c - the lexical features of files (evidence.h).
 *
 * Three kinds, each something a maintainer would name as the reason two
 * files go together (docs/clustering.md, "Modules of a large folder"):
 *   name    the words of the file's name: whole words ("os" in os.c and
 *           os_unix.c) and their longer prefixes ("vdbe" in vdbe.c,
 *           vdbeaux.c, vdbemem.c);
 *   prefix  the word that starts the names of the file's functions once
 *           the project's own prefix is dropped (sqlite3VdbeExec and
 *           vdbeMemClear give "vdbe", luaK_code gives "k", ngx_http_init
 *           gives "http"), weighed by the share of the file's functions
 *           it starts.  Where the project's own names run on in capitals
 *           (sqlite3Vdbe..., luaK_...), a name with an underscore straight
 *           after the project's word (sqlite3_open, lua_pushnumber) is its
 *           public API, and all of those share one prefix;
 *   header  a project header the file includes itself (vdbeInt.h).
 * A feature links the files of a folder that share it; one shared by
 * many of them is common ground, not a module, and is damped like a hub
 * (FEATURE_HUB) or dropped (FEATURE_MAX_SHARE).
 *
 * Features are interned once per graph; each file holds a list of
 * (feature, weight) pairs, in order of first appearance, so the edges come
 * out in a deterministic order.
 */
#include "plan/evidence.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "util/strmap.h"

/* Weights of a file's link to a feature it shares (before damping), on
 * the scale of cluster.c's call weights (a call edge: 1 to 6): a shared
 * feature is as strong a tie as a few calls between two files, because a
 * maintainer who names files alike, prefixes their functions alike or
 * keeps a header for them says outright that they go together, where
 * calls also cross every module boundary (docs/clustering.md). */
#define W_HEADER 8.0       /* includes a header another file of the folder includes */
#define W_PREFIX 16.0      /* times the share of its functions the prefix starts */
#define W_NAME_WORD 8.0    /* a whole word of its name */
#define W_NAME_PREFIX 4.0  /* a prefix of a word of its name, 4 letters or more */
#define NAME_PREFIX_MIN 4 /* shorter prefixes ("lst", "pc") are chance */
/* A word starting this share of the program's function names is the
 * project's own prefix ("sqlite3", "lua", "ngx"), not a module's. */
#define PROJECT_WORD_SHARE 0.3
/* A file's prefix counts when it starts two of its functions, or this
 * share of them (a file of one function). */
#define PREFIX_FILE_SHARE 0.3
/* The project's names "run on in capitals" when this share of the names
 * starting with its word go on with a capital letter. */
#define INTERNAL_CAPS_SHARE 0.1
/* A feature shared by more files than FEATURE_HUB is damped by
 * FEATURE_HUB / files; one shared by more than FEATURE_MAX_SHARE of the
 * folder's files is dropped: "sqliteInt.h", included by every file, says
 * nothing about modules. */
#define FEATURE_HUB 8.0
#define FEATURE_MAX_SHARE 0.5

enum { K_NAME, K_PREFIX, K_HEADER };

typedef struct feat {
    size_t id;
    double w;
} feat;

struct evidence {
    size_t nfiles;
    size_t *off;                                  /* file i: items[off[i] .. off[i + 1]) */
    struct { feat *v; size_t n, cap; } items;
    strvec names;                                 /* feature id -> "kind:text" */
    strmap *index;                                /* "kind:text" -> id */
};

static size_t intern(evidence *e, int kind, const char *text, size_t len) {
    static const char KINDS[] = {'n', 'p', 'h'};
    char *key = xasprintf("%c:%.*s", KINDS[kind], (int)len, text);
    int added;
    size_t id = strmap_intern(e->index, key, e->names.n, &added);
    if (added) strvec_push_owned(&e->names, key);
    else free(key);
    return id;
}

/* Adds w to the file's weight for a feature (the pairs of the file being
 * built are items[from ..]). */
static void addfeat(evidence *e, size_t from, size_t id, double w) {
    for (size_t i = from; i < e->items.n; i++)
        if (e->items.v[i].id == id) {
            e->items.v[i].w += w;
            return;
        }
    feat f = {id, w};
    VEC_PUSH(e->items, f);
}

/* The words of an identifier, lowercased into buf (NUL-separated): runs
 * of letters split at '_', digits and a lower-to-upper change
 * ("sqlite3VdbeExec" -> sqlite, vdbe, exec; "luaK_code" -> lua, k, code).
 * Returns the number of words; at most max. */
static int words(const char *s, char *buf, size_t size, const char **out, int max) {
    int n = 0;
    size_t used = 0;
    for (const char *p = s; *p && n < max;) {
        while (*p && !isalpha((unsigned char)*p)) p++;
        if (!*p) break;
        const char *start = p;
        p++;
        while (isalpha((unsigned char)*p) &&
               !(isupper((unsigned char)*p) && islower((unsigned char)p[-1])))
            p++;
        size_t len = (size_t)(p - start);
        if (used + len + 1 > size) break;
        out[n++] = buf + used;
        for (size_t i = 0; i < len; i++) buf[used++] = (char)tolower((unsigned char)start[i]);
        buf[used++] = '\0';
    }
    return n;
}

#define MAXWORDS 8

/* name is word (any case), digits, then '_': sqlite3_open for "sqlite". */
static int api(const char *name, const char *word) {
    size_t len = strlen(word);
    for (size_t i = 0; i < len; i++)
        if (tolower((unsigned char)name[i]) != word[i]) return 0;
    const char *after = name + len;
    while (isdigit((unsigned char)*after)) after++;
    return *after == '_';
}

evidence *evidence_new(const graph *g, const char *const *files, size_t nfiles,
                       const size_t *ffile) {
    evidence *e = xcalloc(1, sizeof *e);
    e->nfiles = nfiles;
    e->off = xcalloc(nfiles + 1, sizeof *e->off);
    e->index = strmap_new();
    /* the project's own words: first words of many function names */
    strmap *first = strmap_new();
    size_t ndef = 0;
    char buf[256];
    const char *w[MAXWORDS];
    for (size_t f = 0; f < g->funcs.n; f++) {
        if (!g->funcs.v[f].defined) continue;
        ndef++;
        if (words(g->funcs.v[f].name, buf, sizeof buf, w, MAXWORDS) == 0) continue;
        size_t c = 0;
        strmap_get(first, w[0], &c);
        strmap_put(first, w[0], c + 1);
    }
    /* the public API marker: project words mostly run on in capitals
     * (sqlite3Vdbe...) but sometimes take an underscore (sqlite3_open) */
    strmap *caps = strmap_new(), *under = strmap_new();
    for (size_t f = 0; f < g->funcs.n; f++) {
        const char *name = g->funcs.v[f].name;
        if (!g->funcs.v[f].defined || words(name, buf, sizeof buf, w, MAXWORDS) == 0) continue;
        size_t c = 0, len = strlen(w[0]);
        if (!strmap_get(first, w[0], &c) || (double)c < PROJECT_WORD_SHARE * (double)ndef) continue;
        const char *after = name + len;
        while (isdigit((unsigned char)*after)) after++;
        strmap *m = *after == '_' ? under : isupper((unsigned char)*after) ? caps : NULL;
        if (!m) continue;
        c = 0;
        strmap_get(m, w[0], &c);
        strmap_put(m, w[0], c + 1);
    }
    /* each file's functions, in graph order */
    size_t *fcount = xcalloc(nfiles + 1, sizeof *fcount);
    for (size_t f = 0; f < g->funcs.n; f++)
        if (g->funcs.v[f].defined && ffile[f] < nfiles) fcount[ffile[f] + 1]++;
    for (size_t i = 0; i < nfiles; i++) fcount[i + 1] += fcount[i];
    size_t *fpos = xmallocarray(nfiles + 1, sizeof *fpos), *fns = xmallocarray(fcount[nfiles], sizeof *fns);
    memcpy(fpos, fcount, (nfiles + 1) * sizeof *fpos);
    for (size_t f = 0; f < g->funcs.n; f++)
        if (g->funcs.v[f].defined && ffile[f] < nfiles) fns[fpos[ffile[f]]++] = f;
    /* the units' headers, by file */
    strmap *unit = strmap_new();
    for (size_t u = 0; u < g->units.n; u++) strmap_put(unit, g->units.v[u].file, u);
    for (size_t i = 0; i < nfiles; i++) {
        size_t from = e->items.n;
        /* name: the words of the file's name, less its extension */
        const char *base = path_basename(files[i]);
        const char *dot = strrchr(base, '.');
        char *stem = xstrndup(base, dot ? (size_t)(dot - base) : strlen(base));
        int nw = words(stem, buf, sizeof buf, w, MAXWORDS);
        for (int k = 0; k < nw; k++) {
            size_t len = strlen(w[k]);
            if (len >= 2) addfeat(e, from, intern(e, K_NAME, w[k], len), W_NAME_WORD);
            for (size_t l = NAME_PREFIX_MIN; l < len; l++)
                addfeat(e, from, intern(e, K_NAME, w[k], l), W_NAME_PREFIX);
        }
        free(stem);
        /* prefix: the first word that is not the project's */
        size_t n = fcount[i + 1] - fcount[i], pfrom = e->items.n;
        for (size_t k = fcount[i]; k < fcount[i + 1]; k++) {
            nw = words(g->funcs.v[fns[k]].name, buf, sizeof buf, w, MAXWORDS);
            int at = 0;
            size_t c = 0, up = 0, un = 0;
            while (at < nw - 1 && strmap_get(first, w[at], &c) &&
                   (double)c >= PROJECT_WORD_SHARE * (double)ndef)
                at++;
            if (nw == 0) continue;
            if (at > 0 && strmap_get(caps, w[0], &up) && strmap_get(under, w[0], &un) &&
                (double)up >= INTERNAL_CAPS_SHARE * (double)(up + un) && api(g->funcs.v[fns[k]].name, w[0]))
                addfeat(e, pfrom, intern(e, K_PREFIX, "(api)", 5), 1.0);
            else
                addfeat(e, pfrom, intern(e, K_PREFIX, w[at], strlen(w[at])), 1.0);
        }
        size_t o = pfrom;
        for (size_t k = pfrom; k < e->items.n; k++) {
            double count = e->items.v[k].w, share = count / (double)n;
            if (count < 2 && share < PREFIX_FILE_SHARE) continue;
            e->items.v[k].w = W_PREFIX * share;
            e->items.v[o++] = e->items.v[k];
        }
        e->items.n = o;
        /* header: those the file includes itself */
        size_t u;
        if (strmap_get(unit, files[i], &u)) {
            const strvec *h = &g->units.v[u].headers;
            for (size_t k = 0; k < h->n; k++)
                addfeat(e, from, intern(e, K_HEADER, h->v[k], strlen(h->v[k])), W_HEADER);
        }
        e->off[i + 1] = e->items.n;
    }
    strmap_free(unit);
    strmap_free(caps);
    strmap_free(under);
    free(fns);
    free(fpos);
    free(fcount);
    strmap_free(first);
    return e;
}

void evidence_free(evidence *e) {
    if (!e) return;
    free(e->off);
    free(e->items.v);
    strvec_free(&e->names);
    strmap_free(e->index);
    free(e);
}

size_t evidence_edges(const evidence *e, const size_t *nodes, size_t nn, size_t next, wedges *out) {
    size_t nf = e->names.n, none = (size_t)-1;
    size_t *count = xcalloc(nf, sizeof *count), *node = xmallocarray(nf, sizeof *node);
    for (size_t k = 0; k < nf; k++) node[k] = none;
    for (size_t i = 0; i < nn; i++)
        for (size_t k = e->off[nodes[i]]; k < e->off[nodes[i] + 1]; k++) count[e->items.v[k].id]++;
    double cap = FEATURE_MAX_SHARE * (double)nn;
    for (size_t i = 0; i < nn; i++)
        for (size_t k = e->off[nodes[i]]; k < e->off[nodes[i] + 1]; k++) {
            const feat *x = &e->items.v[k];
            size_t c = count[x->id];
            if (c < 2 || (double)c > cap) continue;
            if (node[x->id] == none) node[x->id] = next++; /* made at its first use */
            double damp = (double)c > FEATURE_HUB ? FEATURE_HUB / (double)c : 1.0;
            wgraph_edge_add(out, i, node[x->id], x->w * damp);
        }
    free(node);
    free(count);
    return next;
}

int evidence_marks(const evidence *e, const size_t *files, const size_t *grp, size_t n, size_t g) {
    size_t nf = e->names.n, members = 0;
    size_t *in = xcalloc(nf, sizeof *in), *out = xcalloc(nf, sizeof *out);
    for (size_t i = 0; i < n; i++) {
        members += grp[i] == g;
        for (size_t k = e->off[files[i]]; k < e->off[files[i] + 1]; k++) {
            if (grp[i] == g) in[e->items.v[k].id]++;
            else out[e->items.v[k].id]++;
        }
    }
    int marked = 0;
    for (size_t f = 0; f < nf && !marked; f++) {
        marked = in[f] >= 2 && 3 * in[f] >= 2 * members && 2 * out[f] <= in[f];
    }
    free(out);
    free(in);
    return marked;
}

/* A feature file i shares with its group, for evidence_shared. */
typedef struct tie {
    size_t id, with; /* feature; other files of the group holding it */
    double strength; /* its edge weight times with */
} tie;

static int cmptie(const void *a, const void *b) {
    const tie *x = a, *y = b;
    if (x->strength != y->strength) return x->strength > y->strength ? -1 : 1;
    return (x->id > y->id) - (x->id < y->id);
}

/* One name is a prefix of the other ("n:vdbe", "n:vdbeaux"): saying both
 * says one thing twice. */
static int nested(const char *a, const char *b) {
    size_t la = strlen(a), lb = strlen(b);
    return strncmp(a, b, la < lb ? la : lb) == 0;
}

#define SHARED_SAY 3

void evidence_shared(const evidence *e, const size_t *files, const size_t *grp, size_t n,
                     char **out) {
    size_t nf = e->names.n, ng = 0;
    size_t *count = xcalloc(nf ? nf : 1, sizeof *count), *in = xcalloc(nf ? nf : 1, sizeof *in);
    for (size_t i = 0; i < n; i++) {
        if (grp[i] + 1 > ng) ng = grp[i] + 1;
        for (size_t k = e->off[files[i]]; k < e->off[files[i] + 1]; k++) count[e->items.v[k].id]++;
    }
    /* the files by group, each group's in order: m[off[g] .. off[g + 1]) */
    size_t *off = xcalloc(ng + 1, sizeof *off), *m = xmallocarray(n ? n : 1, sizeof *m);
    for (size_t i = 0; i < n; i++) off[grp[i] + 1]++;
    for (size_t g = 0; g < ng; g++) off[g + 1] += off[g];
    for (size_t i = 0; i < n; i++) m[off[grp[i]]++] = i;
    for (size_t g = ng; g > 0; g--) off[g] = off[g - 1]; /* the fill moved each start on */
    off[0] = 0;
    double cap = FEATURE_MAX_SHARE * (double)n;
    struct { tie *v; size_t n, cap; } ties = {0};
    for (size_t g = 0; g < ng; g++) {
        size_t lo = off[g], hi = off[g + 1];
        for (size_t x = lo; x < hi; x++)
            for (size_t k = e->off[files[m[x]]]; k < e->off[files[m[x]] + 1]; k++)
                in[e->items.v[k].id]++;
        for (size_t x = lo; x < hi; x++) {
            size_t f = files[m[x]];
            ties.n = 0;
            for (size_t k = e->off[f]; k < e->off[f + 1]; k++) {
                const feat *t = &e->items.v[k];
                size_t c = count[t->id];
                /* what evidence_edges keeps, held by another file of the group */
                if (c < 2 || (double)c > cap || in[t->id] < 2) continue;
                double damp = (double)c > FEATURE_HUB ? FEATURE_HUB / (double)c : 1.0;
                tie y = {t->id, in[t->id] - 1, t->w * damp * (double)(in[t->id] - 1)};
                VEC_PUSH(ties, y);
            }
            if (ties.n > 1) qsort(ties.v, ties.n, sizeof *ties.v, cmptie);
            strbuf b = {0};
            size_t said[SHARED_SAY], nsaid = 0;
            for (size_t k = 0; k < ties.n && nsaid < SHARED_SAY; k++) {
                const char *name = e->names.v[ties.v[k].id];
                int dup = 0;
                for (size_t j = 0; j < nsaid && !dup; j++) {
                    const char *other = e->names.v[said[j]];
                    dup = name[0] == 'n' && other[0] == 'n' && nested(name + 2, other + 2);
                }
                if (dup) continue;
                const char *what = name[0] == 'n'                   ? "the name "
                                   : name[0] == 'h'                 ? "the header "
                                   : strcmp(name + 2, "(api)") == 0 ? "the public API marker"
                                                                    : "the prefix ";
                strbuf_printf(&b, "%s%s%s with %zu%s", nsaid ? ", " : "", what,
                              strcmp(name + 2, "(api)") == 0 ? "" : name + 2, ties.v[k].with,
                              nsaid                 ? ""
                              : ties.v[k].with == 1 ? " other file"
                                                    : " of its files");
                said[nsaid++] = ties.v[k].id;
            }
            if (!b.v) strbuf_add(&b, "");
            out[m[x]] = b.v;
        }
        for (size_t x = lo; x < hi; x++)
            for (size_t k = e->off[files[m[x]]]; k < e->off[files[m[x]] + 1]; k++)
                in[e->items.v[k].id] = 0;
    }
    free(ties.v);
    free(off);
    free(m);
    free(in);
    free(count);
}

char *evidence_describe(const evidence *e, size_t i) {
    static const char *const KIND[] = {"name", "prefix", "header"};
    strbuf b = {0};
    for (size_t k = e->off[i]; k < e->off[i + 1]; k++) {
        const char *name = e->names.v[e->items.v[k].id];
        int kind = name[0] == 'n' ? K_NAME : name[0] == 'p' ? K_PREFIX : K_HEADER;
        strbuf_printf(&b, "%s %s\n", KIND[kind], name + 2);
    }
    if (!b.v) strbuf_add(&b, "");
    return b.v;
}
