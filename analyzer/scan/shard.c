/*
 * shard.c - project slices and shard files (shard.h).
 *
 * Payload: str root | str compile_db | u64 flags dropped | u32 n, n x
 * (str header, str from, int switches, u64 units of the slice that
 * included it) | u32 n, n x (str file, u32 kind) unseen | u32 n, n x (str
 * file, u64 builds, u64 entry, u64 agree, u64 of, u32 n, n x str with,
 * u32 n, n x str without) | u64 project | u32 k | u32 n | u64 total |
 * u32 n, n x facts record.
 */
#include "scan/shard.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "frontend/facts_io.h"
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
                const scan_units *u) {
    facts_io_out o = {0};
    facts_io_begin(&o, FACTS_IO_SHARD);
    facts_io_put_str(&o, root);
    char *db = scan_compile_db_name(p);
    facts_io_put_str(&o, db);
    free(db);
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
    facts_io_finish(&o);
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

int shard_read(const char *path, shard **out, char **err) {
    size_t len;
    char *data = file_read_all(path, &len);
    if (!data) {
        *err = xasprintf("%s: cannot read: %s", path, file_strerror(errno));
        return -1;
    }
    facts_io_in in;
    const char *why = "malformed shard file";
    shard *s = xcalloc(1, sizeof *s);
    if (facts_io_open(&in, data, len, FACTS_IO_SHARD, &why) != 0) goto fail;
    s->root = dupornull(facts_io_get_str(&in));
    s->compile_db = dupornull(facts_io_get_str(&in));
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
        if (!b.file || b.builds < 2 || b.entry == 0 || b.agree > b.of) in.bad = 1;
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

void shard_free(shard *s) {
    if (!s) return;
    free(s->root);
    free(s->compile_db);
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
