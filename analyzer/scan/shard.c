/*
 * shard.c - project slices and shard files (shard.h).
 *
 * Payload: str root | str compile_db | str root path | str database path
 * | u64 database digest | u32 n, n x str allowed | u64 flags dropped | u32 n, n x
 * (str header, str from, int switches, u64 units of the slice that
 * included it) | u32 n, n x (str file, u32 kind) unseen | u32 n, n x (str
 * file, u64 builds, u64 entry, u64 agree, u64 of, u32 n, n x str with,
 * u32 n, n x str without) | u64 project | u32 k | u32 n | u64 total |
 * u32 n, n x facts record.
 */
#define _XOPEN_SOURCE 700 /* realpath */
#include "scan/shard.h"

#include <errno.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>

#include "frontend/facts_io.h"
#include "scan/merge.h"
#include "util/hash.h"

/* Path of unit `job` relative to the root (absolute outside it). */
static char *unitname(const project *p, size_t job) {
    const char *file = p->jobs.v[job].file;
    char *rel = path_relative(p->root, file);
    return rel ? rel : xstrdup(file);
}

int shard_has(const project *p, size_t job, unsigned k, unsigned n) {
    char *name = unitname(p, job);
    uint64_t h = hash_bytes(name, strlen(name), 0);
    free(name);
    return h % n == k - 1;
}

uint64_t shard_project_id(const project *p) {
    strbuf b = {0};
    strbuf_printf(&b, "%zu", p->jobs.n);
    for (size_t i = 0; i < p->jobs.n; i++) {
        char *name = unitname(p, i);
        strbuf_printf(&b, "\x1f%s", name);
        free(name);
    }
    uint64_t h = hash_bytes(b.v, b.n, 0);
    free(b.v);
    return h;
}

static void putstrs(facts_io_out *o, const strvec *v) {
    facts_io_put_u32(o, (uint32_t)v->n);
    for (size_t i = 0; i < v->n; i++) facts_io_put_str(o, v->v[i]);
}

int shard_write(const char *path, const project *p, const char *root, unsigned k, unsigned n,
                const scan_units *u, const char *key) {
    facts_io_out o = {0};
    facts_io_begin(&o, FACTS_IO_SHARD);
    facts_io_put_str(&o, root);
    char *db = scan_compile_db_name(p);
    facts_io_put_str(&o, db);
    free(db);
    facts_io_put_str(&o, p->root);
    facts_io_put_str(&o, p->db_path);
    facts_io_put_u64(&o, p->db_digest);
    putstrs(&o, &p->allowed);
    facts_io_put_u64(&o, p->flags_dropped);
    size_t *units = scan_standin_units(p, u->tus, u->n);
    facts_io_put_u32(&o, (uint32_t)p->standins.n);
    for (size_t i = 0; i < p->standins.n; i++) {
        facts_io_put_str(&o, p->standins.v[i].header);
        facts_io_put_str(&o, p->standins.v[i].from);
        facts_io_put_int(&o, p->standins.v[i].switches);
        facts_io_put_u64(&o, units[i]);
    }
    free(units);
    facts_io_put_u32(&o, (uint32_t)p->unseen.n);
    for (size_t i = 0; i < p->unseen.n; i++) {
        facts_io_put_str(&o, p->unseen.v[i].file);
        facts_io_put_u32(&o, p->unseen.v[i].kind);
    }
    facts_io_put_u32(&o, (uint32_t)p->builds.n);
    for (size_t i = 0; i < p->builds.n; i++) {
        const project_build *b = &p->builds.v[i];
        facts_io_put_str(&o, b->file);
        facts_io_put_u64(&o, b->builds);
        facts_io_put_u64(&o, b->entry);
        facts_io_put_u64(&o, b->agree);
        facts_io_put_u64(&o, b->of);
        putstrs(&o, &b->with);
        putstrs(&o, &b->without);
    }
    facts_io_put_u64(&o, shard_project_id(p));
    facts_io_put_u32(&o, k);
    facts_io_put_u32(&o, n);
    facts_io_put_u64(&o, p->jobs.n);
    facts_io_put_u32(&o, (uint32_t)u->n);
    for (size_t i = 0; i < u->n; i++) facts_io_put_facts(&o, u->tus[i]);
    facts_io_finish(&o, key);
    int rc = file_write_output(path, (const char *)o.v, o.n, FILE_OUT_NAMED);
    free(o.v);
    return rc;
}

static char *dupornull(const char *s) {
    return s ? xstrdup(s) : NULL;
}

static void getstrs(facts_io_in *in, strvec *out) {
    size_t n = facts_io_get_count(in, 5);
    for (size_t i = 0; i < n && !in->bad; i++) {
        const char *s = facts_io_get_str(in);
        if (s) strvec_push(out, s);
        else in->bad = 1;
    }
}

int shard_read(const char *path, const char *key, shard **out, char **err) {
    size_t len;
    char *data = file_read_all(path, &len);
    if (!data) {
        *err = xasprintf("%s: cannot read: %s", path, file_strerror(errno));
        return -1;
    }
    facts_io_in in;
    const char *why = "malformed shard file";
    shard *s = xcalloc(1, sizeof *s);
    if (facts_io_open(&in, data, len, FACTS_IO_SHARD, key, &why) != 0) goto fail;
    s->root = dupornull(facts_io_get_str(&in));
    s->compile_db = dupornull(facts_io_get_str(&in));
    s->root_path = dupornull(facts_io_get_str(&in));
    s->db_path = dupornull(facts_io_get_str(&in));
    s->db_digest = facts_io_get_u64(&in);
    getstrs(&in, &s->allowed);
    /* paths a merge opens: absolute, a database exactly when named */
    if (!s->root_path || s->root_path[0] != '/' || (s->db_path && s->db_path[0] != '/') ||
        !s->db_path != !s->compile_db)
        in.bad = 1;
    for (size_t i = 0; i < s->allowed.n; i++)
        if (s->allowed.v[i][0] != '/') in.bad = 1;
    s->flags_dropped = facts_io_get_u64(&in);
    size_t ns = facts_io_get_count(&in, 13);
    for (size_t i = 0; i < ns && !in.bad; i++) {
        project_standin st = {0};
        st.header = dupornull(facts_io_get_str(&in));
        st.from = dupornull(facts_io_get_str(&in));
        st.switches = facts_io_get_int(&in);
        size_t units = (size_t)facts_io_get_u64(&in);
        VEC_PUSH(s->standins, st);
        VEC_PUSH(s->standin_units, units);
        if (!st.header) in.bad = 1;
    }
    size_t nu = facts_io_get_count(&in, 5);
    for (size_t i = 0; i < nu && !in.bad; i++) {
        project_unseen un = {dupornull(facts_io_get_str(&in)), facts_io_get_u32(&in)};
        VEC_PUSH(s->unseen, un);
        if (!un.file || un.kind > UNSEEN_NO_ENTRY) in.bad = 1;
    }
    size_t nb = facts_io_get_count(&in, 37);
    for (size_t i = 0; i < nb && !in.bad; i++) {
        project_build b = {0};
        b.file = dupornull(facts_io_get_str(&in));
        b.builds = (size_t)facts_io_get_u64(&in);
        b.entry = (size_t)facts_io_get_u64(&in);
        b.agree = (size_t)facts_io_get_u64(&in);
        b.of = (size_t)facts_io_get_u64(&in);
        getstrs(&in, &b.with);
        getstrs(&in, &b.without);
        VEC_PUSH(s->builds, b);
        /* a database's choice among builds, or (no database) the macro a
         * file requires, as graph_load.c accepts them */
        int required = b.entry == 0 && b.builds == 1 && b.with.n == 1 && !b.without.n && !b.of;
        if (!b.file || (!required && (b.builds < 2 || b.entry == 0 || b.agree > b.of)))
            in.bad = 1;
    }
    s->project = facts_io_get_u64(&in);
    s->k = facts_io_get_u32(&in);
    s->n = facts_io_get_u32(&in);
    s->total = facts_io_get_u64(&in);
    size_t nt = facts_io_get_count(&in, 49);
    for (size_t i = 0; i < nt && !in.bad; i++) {
        facts *f = facts_io_get_facts(&in);
        if (f) VEC_PUSH(s->tus, f);
    }
    if (!s->root || s->n == 0 || s->k == 0 || s->k > s->n || s->tus.n > s->total)
        in.bad = 1;
    if (facts_io_done(&in) != 0) goto fail;
    free(data);
    *out = s;
    return 0;
fail:
    *err = xasprintf("%s: %s", path, why);
    shard_free(s);
    free(data);
    return -1;
}

static int streq(const char *a, const char *b) {
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Whether two scans stood in for the same headers the same way. */
static int samestandins(const project_standin *a, size_t na, const project_standin *b, size_t nb) {
    if (na != nb) return 0;
    for (size_t i = 0; i < na; i++)
        if (!streq(a[i].header, b[i].header) || !streq(a[i].from, b[i].from) ||
            a[i].switches != b[i].switches)
            return 0;
    return 1;
}

/* Whether two shards describe the same project the same way. */
static int sameproject(const shard *a, const shard *b) {
    if (a->project != b->project || a->n != b->n || a->total != b->total ||
        !streq(a->root, b->root) || !streq(a->compile_db, b->compile_db) ||
        !streq(a->root_path, b->root_path) || !streq(a->db_path, b->db_path) ||
        a->db_digest != b->db_digest || a->allowed.n != b->allowed.n ||
        a->flags_dropped != b->flags_dropped ||
        !samestandins(a->standins.v, a->standins.n, b->standins.v, b->standins.n))
        return 0;
    for (size_t i = 0; i < a->allowed.n; i++)
        if (strcmp(a->allowed.v[i], b->allowed.v[i]) != 0) return 0;
    if (a->unseen.n != b->unseen.n || a->builds.n != b->builds.n) return 0;
    for (size_t i = 0; i < a->unseen.n; i++)
        if (!streq(a->unseen.v[i].file, b->unseen.v[i].file) ||
            a->unseen.v[i].kind != b->unseen.v[i].kind)
            return 0;
    for (size_t i = 0; i < a->builds.n; i++) {
        const project_build *x = &a->builds.v[i], *y = &b->builds.v[i];
        if (!streq(x->file, y->file) || x->entry != y->entry || x->builds != y->builds)
            return 0;
    }
    return 1;
}

/* An input's slice and position, sorted by slice, then position. */
typedef struct byslice {
    unsigned k;
    size_t i;
} byslice;

static int cmpslice(const void *a, const void *b) {
    const byslice *x = a, *y = b;
    if (x->k != y->k) return x->k < y->k ? -1 : 1;
    return (x->i > y->i) - (x->i < y->i);
}

int shard_check(shard *const *s, const char *const *names, size_t count, char **err) {
    const shard *first = s[0];
    for (size_t i = 1; i < count; i++) {
        if (!sameproject(first, s[i])) {
            *err = xasprintf("%s: not a slice of the project %s comes from", names[i], names[0]);
            return -1;
        }
    }
    /* the slices in order, not a table by slice number: the number of
     * slices comes from the file (0xFFFFFFFF + 1 once sized such a table
     * to nothing) */
    byslice *o = xmallocarray(count, sizeof *o);
    uint64_t units = 0;
    for (size_t i = 0; i < count; i++) {
        o[i].k = s[i]->k;
        o[i].i = i;
        units += s[i]->tus.n;
    }
    qsort(o, count, sizeof *o, cmpslice);
    *err = NULL;
    for (size_t j = 1; j < count && !*err; j++)
        if (o[j].k == o[j - 1].k)
            *err = xasprintf("%s: slice %u/%u is already given by %s", names[o[j].i], o[j].k,
                             first->n, names[o[j - 1].i]);
    unsigned want = 1;
    for (size_t j = 0; j < count && !*err && want <= first->n; j++) {
        if (o[j].k > want) break;
        if (o[j].k == want) want++;
    }
    if (!*err && want <= first->n)
        *err = xasprintf("merge: slice %u/%u is missing", want, first->n);
    if (!*err && units != first->total)
        *err = xasprintf("merge: the slices hold %llu units, the project %llu",
                         (unsigned long long)units, (unsigned long long)first->total);
    free(o);
    return *err ? -1 : 0;
}

size_t shard_second_builds(shard *const *s, size_t count) {
    struct { facts **v; size_t n, cap; } all = {0};
    for (size_t i = 0; i < count; i++)
        for (size_t j = 0; j < s[i]->tus.n; j++) VEC_PUSH(all, s[i]->tus.v[j]);
    strvec wanted = {0}, unused = {0};
    merge_wanted_builds(all.v, all.n, &wanted, &unused);
    size_t n = wanted.n;
    strvec_free(&wanted);
    strvec_free(&unused);
    free(all.v);
    return n;
}

int shard_project(const shard *s, project **out, char **err) {
    *out = NULL;
    /* the shard files name the tree, and a forged one must not steer a
     * merge to parse what it likes: a merge reads only a tree in the
     * folder it runs in or below it, as a scan reads the path it is given */
    char *cwd = realpath(".", NULL);
    char *rel = cwd ? path_relative(cwd, s->root_path) : NULL;
    if (!rel) {
        *err = xasprintf("%s: outside the folder the merge runs in (%s)", s->root_path,
                         cwd ? cwd : ".");
        free(cwd);
        return 1;
    }
    free(rel);
    free(cwd);
    /* what another machine lacks: the tree, its database, a folder named */
    struct stat st;
    for (size_t i = 0; i < s->allowed.n + 2; i++) {
        const char *path = i == 0 ? s->root_path : i == 1 ? s->db_path : s->allowed.v[i - 2];
        if (path && stat(path, &st) != 0) {
            *err = xasprintf("%s: %s", path, file_strerror(errno));
            return 1;
        }
    }
    project_options opt = {s->db_path, &s->allowed};
    project *p = NULL;
    if (project_open(s->root_path, &opt, &p, err) != 0) return -1;
    if (s->db_path && p->db_digest != s->db_digest)
        *err = xasprintf("%s: not the compile database the shards were scanned with (it changed "
                         "since); scan the slices again", s->db_path);
    else if (!s->db_path && p->db_path)
        *err = xasprintf("%s: the shards were scanned without a compile database, and it now "
                         "has one; scan the slices again", p->db_path);
    else if (strcmp(p->root, s->root_path) != 0 || shard_project_id(p) != s->project ||
             !samestandins(p->standins.v, p->standins.n, s->standins.v, s->standins.n))
        *err = xasprintf("%s: not the tree the shards were scanned from (its units differ); "
                         "scan the slices again", s->root_path);
    else
        *err = NULL;
    if (*err) {
        project_free(p);
        return -1;
    }
    *out = p;
    return 0;
}

graph *shard_graph(shard *const *s, size_t count, const project *p, const scan_options *opt,
                   size_t *parsed) {
    /* the slices' records, borrowed, then the second builds read here */
    scan_units u = {0};
    for (size_t i = 0; i < count; i++) u.n += s[i]->tus.n;
    u.tus = xmallocarray(u.n + 1, sizeof *u.tus);
    u.n = 0;
    for (size_t i = 0; i < count; i++)
        for (size_t j = 0; j < s[i]->tus.n; j++) u.tus[u.n++] = s[i]->tus.v[j];
    size_t own = u.n;
    struct scan_reads reads = {0};
    if (p) scan_second_builds(p, opt, &u, &reads);
    *parsed = 0;
    for (size_t i = 0; i < u.n; i++) *parsed += u.tus[i]->status != UNIT_FAILED;
    const shard *first = s[0];
    /* each slice counted the stand-ins its own units included, and the
     * second builds count as a whole scan counts them */
    size_t *units = xcalloc(first->standins.n + 1, sizeof *units);
    size_t *more = p ? scan_standin_units(p, u.tus + own, u.n - own) : NULL;
    for (size_t k = 0; k < first->standins.n; k++) {
        for (size_t i = 0; i < count; i++) units[k] += s[i]->standin_units.v[k];
        if (more && k < p->standins.n) units[k] += more[k];
    }
    free(more);
    scan_source src = {first->compile_db, (size_t)first->flags_dropped,
                       first->standins.v, first->standins.n,
                       units,             first->unseen.v,
                       first->unseen.n,   first->builds.v,
                       first->builds.n,   reads.v,
                       reads.n};
    graph *g = scan_graph(u.tus, u.n, first->root, &src);
    free(units);
    scan_reads_free(&reads);
    for (size_t i = own; i < u.n; i++) facts_free(u.tus[i]);
    free(u.tus);
    return g;
}

void shard_free(shard *s) {
    if (!s) return;
    free(s->root);
    free(s->compile_db);
    free(s->root_path);
    free(s->db_path);
    strvec_free(&s->allowed);
    for (size_t i = 0; i < s->standins.n; i++) {
        free(s->standins.v[i].header);
        free(s->standins.v[i].from);
    }
    free(s->standins.v);
    free(s->standin_units.v);
    for (size_t i = 0; i < s->unseen.n; i++) free(s->unseen.v[i].file);
    free(s->unseen.v);
    for (size_t i = 0; i < s->builds.n; i++) project_build_clear(&s->builds.v[i]);
    free(s->builds.v);
    for (size_t i = 0; i < s->tus.n; i++) facts_free(s->tus.v[i]);
    free(s->tus.v);
    free(s);
}
