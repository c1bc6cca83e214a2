/*
 * svcgroups.c - components grouped by folder (svcgroups.h).  Each
 * component's dominant file is split into path components; the groups
 * start one component below the folder all of them share and go one
 * component deeper, group by group, while a group is too big and its
 * members still differ there.
 */
#include "reports/svcgroups.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/common.h"

/* A group of more than twice the square root of the components, and more
 * than this, is split one level deeper when it can be: about as many
 * groups as components in a group, so neither the overview nor an
 * expanded group is much bigger than the other. */
enum { GROUP_SPLIT_MIN = 8 };

typedef struct path {
    char *text;   /* the dominant file, '/' replaced by NULs */
    char **comp;  /* its components */
    size_t n;     /* how many (the last is the file's name) */
    size_t depth; /* components of it the group's name takes */
} path;

typedef struct fileloc {
    const char *file;
    long loc;
} fileloc;

static int cmp_fileloc(const void *a, const void *b) {
    return strcmp(((const fileloc *)a)->file, ((const fileloc *)b)->file);
}

/* The file holding most of s's lines (a function counts its lines and
 * one more, so one-line functions count; ties: the first by name), or its
 * name when none of its functions has a file. */
static const char *dominant(const plan *p, size_t s) {
    const plan_service *sv = &p->services.v[s];
    fileloc *files = xmallocarray(sv->funcs.n + 1, sizeof *files);
    size_t n = 0;
    for (size_t i = 0; i < sv->funcs.n; i++) {
        const gfunc *fn = &p->g->funcs.v[sv->funcs.v[i]];
        if (fn->defined && fn->file) files[n++] = (fileloc){fn->file, fn->loc + 1};
    }
    if (n > 1) qsort(files, n, sizeof *files, cmp_fileloc);
    const char *best = sv->name;
    long best_loc = -1;
    for (size_t i = 0, j; i < n; i = j) {
        long loc = 0;
        for (j = i; j < n && strcmp(files[j].file, files[i].file) == 0; j++) loc += files[j].loc;
        if (loc > best_loc) best = files[i].file, best_loc = loc;
    }
    free(files);
    return best;
}

static void split(const char *file, path *pa) {
    pa->text = xstrdup(file);
    size_t cap = 1;
    for (const char *c = file; *c; c++) cap += *c == '/';
    pa->comp = xmallocarray(cap, sizeof *pa->comp);
    pa->n = 0;
    for (char *c = pa->text, *start = pa->text;; c++) {
        if (*c == '/' || !*c) {
            int end = !*c;
            *c = '\0';
            if (*start) pa->comp[pa->n++] = start;
            start = c + 1;
            if (end) break;
        }
    }
    if (pa->n == 0) pa->comp[pa->n++] = pa->text; /* "/" or "" */
}

/* The group name of pa from component `from`. */
static char *label(const path *pa, size_t from) {
    strbuf b = {0};
    strbuf_add(&b, "");
    for (size_t i = from; i < pa->depth; i++) {
        if (i > from) strbuf_add(&b, "/");
        strbuf_add(&b, pa->comp[i]);
    }
    return b.v;
}

typedef struct member {
    char *name;
    size_t s;
} member;

static int cmp_member(const void *a, const void *b) {
    const member *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->s > y->s) - (x->s < y->s);
}

/* The members sorted by group name (the caller frees names and array). */
static member *members_by_label(const path *pa, size_t ns, size_t from) {
    member *m = xmallocarray(ns + 1, sizeof *m);
    for (size_t s = 0; s < ns; s++) m[s] = (member){label(&pa[s], from), s};
    if (ns > 1) qsort(m, ns, sizeof *m, cmp_member);
    return m;
}

static void members_free(member *m, size_t ns) {
    for (size_t s = 0; s < ns; s++) free(m[s].name);
    free(m);
}

void svcgroups_build(const plan *p, svcgroups *out) {
    size_t ns = p->services.n;
    memset(out, 0, sizeof *out);
    out->of = xcalloc(ns + 1, sizeof *out->of);
    path *pa = xcalloc(ns + 1, sizeof *pa);
    for (size_t s = 0; s < ns; s++) split(dominant(p, s), &pa[s]);
    /* the folder every component shares: components before each one's file */
    size_t common = ns ? pa[0].n - 1 : 0;
    for (size_t s = 1; s < ns; s++) {
        size_t k = 0;
        while (k < common && k < pa[s].n - 1 && strcmp(pa[s].comp[k], pa[0].comp[k]) == 0) k++;
        common = k;
    }
    for (size_t s = 0; s < ns; s++) pa[s].depth = common + 1;
    size_t limit = (size_t)ceil(2 * sqrt((double)ns));
    if (limit < GROUP_SPLIT_MIN) limit = GROUP_SPLIT_MIN;
    for (int changed = 1; changed;) {
        changed = 0;
        member *m = members_by_label(pa, ns, common);
        for (size_t i = 0, j; i < ns; i = j) {
            for (j = i; j < ns && strcmp(m[j].name, m[i].name) == 0; j++) continue;
            if (j - i <= limit) continue;
            /* one level deeper; a level every member shares (lib/big/...)
             * only lengthens the name, and the next one may tell them apart */
            int deeper = 0;
            for (size_t k = i; k < j; k++)
                if (pa[m[k].s].depth < pa[m[k].s].n) pa[m[k].s].depth++, deeper = 1;
            changed |= deeper;
        }
        members_free(m, ns);
    }
    member *m = members_by_label(pa, ns, common);
    out->names = xmallocarray(ns + 1, sizeof *out->names);
    out->members = xcalloc(ns + 1, sizeof *out->members);
    for (size_t i = 0; i < ns; i++) {
        if (i == 0 || strcmp(m[i].name, m[i - 1].name) != 0)
            out->names[out->n++] = xstrdup(m[i].name);
        out->of[m[i].s] = out->n - 1;
        out->members[out->n - 1]++;
    }
    members_free(m, ns);
    for (size_t s = 0; s < ns; s++) {
        free(pa[s].text);
        free(pa[s].comp);
    }
    free(pa);
}

void svcgroups_free(svcgroups *gr) {
    if (!gr) return;
    for (size_t i = 0; i < gr->n; i++) free(gr->names[i]);
    free(gr->names);
    free(gr->of);
    free(gr->members);
    memset(gr, 0, sizeof *gr);
}
