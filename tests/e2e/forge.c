/*
 * forge.c - what an attacker with write access to a cache or a shard file
 * can do, for tests/e2e/hostile_test.py.  Each command rewrites files in
 * the facts_io format and seals them again with a correct checksum but no
 * key (the attacker does not have CLEAVE_CACHE_KEY):
 *
 *   forge drop-call DIR FROM TO   every unit entry in cache DIR that holds
 *                                 calls FROM -> TO loses them
 *   forge set-graph DIR FILE      every whole-graph entry in cache DIR
 *                                 holds FILE's text as its graph JSON
 *   forge slices SHARD N          the shard claims to be one of N slices
 *
 * It reads the layouts of cache.c (a unit entry: str tool, str key, u32 n,
 * n x (str, u64, u64), facts; a graph entry: str tool, name, key, summary,
 * json) as documented there; a shard's slice fields are found by what
 * shard_read says they hold.  Exit status 0 when something was rewritten,
 * 1 otherwise.
 */
#define _GNU_SOURCE /* memmem */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend/facts_io.h"
#include "scan/shard.h"
#include "util/common.h"

/* Reads the image at path, of the given kind, into *in (its bytes, which
 * the caller frees, are returned); NULL when it is not one. */
static char *openimage(const char *path, unsigned kind, facts_io_in *in) {
    size_t len;
    char *data = file_read_all(path, &len);
    const char *why;
    if (data && facts_io_open(in, data, len, kind, NULL, &why) == 0) return data;
    free(data);
    return NULL;
}

/* Copies a string field from in to out. */
static void copystr(facts_io_in *in, facts_io_out *out) {
    facts_io_put_str(out, facts_io_get_str(in));
}

/* Drops calls from -> to in one entry; 1 when the entry changed. */
static int dropcall(const char *path, const char *from, const char *to) {
    facts_io_in in;
    char *data = openimage(path, FACTS_IO_CACHE, &in);
    if (!data) return 0;
    facts_io_out out = {0};
    facts_io_begin(&out, FACTS_IO_CACHE);
    copystr(&in, &out);
    copystr(&in, &out);
    uint32_t n = facts_io_get_u32(&in);
    facts_io_put_u32(&out, n);
    for (uint32_t i = 0; i < n && !in.bad; i++) {
        copystr(&in, &out);
        facts_io_put_u64(&out, facts_io_get_u64(&in));
        facts_io_put_u64(&out, facts_io_get_u64(&in));
    }
    facts *f = facts_io_get_facts(&in);
    int changed = 0;
    if (f && facts_io_done(&in) == 0) {
        size_t o = 0;
        for (size_t i = 0; i < f->calls.n; i++) {
            const fact_call *c = &f->calls.v[i];
            int drop = c->from && c->to && strcmp(c->from, from) == 0 && strcmp(c->to, to) == 0;
            if (!drop) f->calls.v[o++] = *c;
            changed |= drop;
        }
        f->calls.n = o;
        facts_io_put_facts(&out, f);
        facts_io_finish(&out, NULL);
        if (changed && file_write_atomic(path, (const char *)out.v, out.n) != 0) changed = 0;
    }
    facts_free(f);
    free(out.v);
    free(data);
    return changed;
}

/* Replaces the JSON of a whole-graph entry; 1 when done. */
static int setgraph(const char *path, const char *json) {
    facts_io_in in;
    char *data = openimage(path, FACTS_IO_GRAPH, &in);
    if (!data) return 0;
    facts_io_out out = {0};
    facts_io_begin(&out, FACTS_IO_GRAPH);
    for (int i = 0; i < 4; i++) copystr(&in, &out);
    (void)facts_io_get_str(&in);
    facts_io_put_str(&out, json);
    facts_io_finish(&out, NULL);
    int ok = facts_io_done(&in) == 0 && file_write_atomic(path, (const char *)out.v, out.n) == 0;
    free(out.v);
    free(data);
    return ok;
}

/* Makes the shard claim to be one of n slices.  shard_read says what the
 * slice fields hold (u64 project, u32 k, u32 n, u64 total, in a row in
 * the payload), so they are found by their bytes whatever shard.c puts
 * before them; n is patched there and the image sealed again.  1 when
 * done. */
static int slices(const char *path, unsigned long n) {
    shard *s = NULL;
    char *err = NULL;
    if (shard_read(path, NULL, &s, &err) != 0) {
        fprintf(stderr, "forge: %s\n", err);
        free(err);
        return 0;
    }
    facts_io_out want = {0};
    facts_io_put_u64(&want, s->project);
    facts_io_put_u32(&want, s->k);
    facts_io_put_u32(&want, s->n);
    facts_io_put_u64(&want, s->total);
    shard_free(s);
    size_t len;
    char *data = file_read_all(path, &len);
    char *at = data ? memmem(data + FACTS_IO_HEADER_SIZE, len - FACTS_IO_HEADER_SIZE, want.v,
                             want.n)
                    : NULL;
    int ok = 0;
    if (at) {
        facts_io_out out = {0}, count = {0};
        facts_io_put_u32(&count, (uint32_t)n);
        memcpy(at + 12, count.v, 4);
        facts_io_begin(&out, FACTS_IO_SHARD);
        VEC_RESERVE(out, out.n + len - FACTS_IO_HEADER_SIZE);
        memcpy(out.v + out.n, data + FACTS_IO_HEADER_SIZE, len - FACTS_IO_HEADER_SIZE);
        out.n += len - FACTS_IO_HEADER_SIZE;
        facts_io_finish(&out, NULL);
        ok = file_write_atomic(path, (const char *)out.v, out.n) == 0;
        free(out.v);
        free(count.v);
    }
    free(want.v);
    free(data);
    return ok;
}

int main(int argc, char **argv) {
    int graphs = argc == 4 && strcmp(argv[1], "set-graph") == 0;
    if ((argc == 5 && strcmp(argv[1], "drop-call") == 0) || graphs) {
        size_t len;
        char *json = graphs ? file_read_all(argv[3], &len) : NULL;
        DIR *d = opendir(argv[2]);
        if (!d || (graphs && !json)) return 1;
        int changed = 0;
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (!str_endswith(e->d_name, ".facts")) continue;
            if (str_startswith(e->d_name, "graph-") != graphs) continue;
            char *path = path_join(argv[2], e->d_name);
            changed += graphs ? setgraph(path, json) : dropcall(path, argv[3], argv[4]);
            free(path);
        }
        closedir(d);
        free(json);
        return changed ? 0 : 1;
    }
    if (argc == 4 && strcmp(argv[1], "slices") == 0)
        return slices(argv[2], strtoul(argv[3], NULL, 10)) ? 0 : 1;
    fprintf(stderr, "usage: forge drop-call DIR FROM TO | set-graph DIR FILE | slices SHARD N\n");
    return 2;
}
