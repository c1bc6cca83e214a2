/*
 * facts_io.c - the binary facts format (facts_io.h).
 *
 * A record is its own string table followed by fixed-size fields that
 * refer to strings by table position (1-based, 0 for NULL), so each
 * distinct string of a TU is stored and interned once:
 *   u32 nstrings, strings | ref file | u32 status |
 *   u32 n, refs (errors) | u32 n, refs (includes) | u32 n, refs (headers) |
 *   u32 n, refs (defines) | u32 n, refs (tests) |
 *   u32 n, funcs | u32 n, globals | u32 n, calls | u32 n, accesses |
 *   u32 n, stores | u32 n, params
 * with each item's fields in the order of its struct in facts.h.
 */
#include "frontend/facts_io.h"

#include <stdlib.h>
#include <string.h>

#include "util/hash.h"
#include "util/sha256.h"
#include "util/strmap.h"

static const char MAGIC[8] = {'C', 'L', 'V', 'F', 'A', 'C', 'T', 'S'};
/* magic, version, kind, payload length, checksum, tag */
#define HEADER_SIZE FACTS_IO_HEADER_SIZE
#define LENGTH_AT 16
#define CHECKSUM_AT 24
#define TAG_AT 32

/* ---- writing ----------------------------------------------------------- */

static void putbytes(facts_io_out *o, const void *p, size_t n) {
    VEC_RESERVE(*o, o->n + n);
    if (n) memcpy(o->v + o->n, p, n);
    o->n += n;
}

static void put64at(unsigned char *p, uint64_t x) {
    for (int i = 0; i < 8; i++) p[i] = (unsigned char)(x >> (8 * i));
}

void facts_io_put_u32(facts_io_out *o, uint32_t x) {
    unsigned char b[4] = {(unsigned char)x, (unsigned char)(x >> 8), (unsigned char)(x >> 16),
                          (unsigned char)(x >> 24)};
    putbytes(o, b, 4);
}

void facts_io_put_u64(facts_io_out *o, uint64_t x) {
    unsigned char b[8];
    put64at(b, x);
    putbytes(o, b, 8);
}

void facts_io_put_int(facts_io_out *o, int x) {
    facts_io_put_u32(o, (uint32_t)x);
}

void facts_io_put_str(facts_io_out *o, const char *s) {
    if (!s) {
        facts_io_put_u32(o, 0);
        return;
    }
    size_t n = strlen(s);
    facts_io_put_u32(o, (uint32_t)(n + 1));
    putbytes(o, s, n + 1);
}

void facts_io_begin(facts_io_out *o, unsigned kind) {
    o->n = 0;
    putbytes(o, MAGIC, sizeof MAGIC);
    facts_io_put_u32(o, FACTS_IO_VERSION);
    facts_io_put_u32(o, kind);
    facts_io_put_u64(o, 0);
    facts_io_put_u64(o, 0);
    static const unsigned char notag[SHA256_SIZE];
    putbytes(o, notag, sizeof notag);
}

/* The tag of an image under key: everything but the tag itself. */
static void tagof(const unsigned char *image, size_t len, const char *key,
                  unsigned char out[SHA256_SIZE]) {
    sha256_hmac_ctx c;
    sha256_hmac_init(&c, key, strlen(key));
    sha256_hmac_update(&c, image, TAG_AT);
    sha256_hmac_update(&c, image + HEADER_SIZE, len - HEADER_SIZE);
    sha256_hmac_final(&c, out);
}

void facts_io_finish(facts_io_out *o, const char *key) {
    size_t len = o->n - HEADER_SIZE;
    put64at(o->v + LENGTH_AT, len);
    put64at(o->v + CHECKSUM_AT, hash_bytes(o->v + HEADER_SIZE, len, 0));
    if (key && *key) tagof(o->v, o->n, key, o->v + TAG_AT);
}

/* The string table being built: distinct strings in first-use order. */
typedef struct strtab {
    strmap *index;
    struct { const char **v; size_t n, cap; } strs;
    facts_io_out body; /* the fields, written after the table */
} strtab;

static void ref(strtab *t, const char *s) {
    if (!s) {
        facts_io_put_u32(&t->body, 0);
        return;
    }
    int added;
    size_t i = strmap_intern(t->index, s, t->strs.n, &added);
    if (added) VEC_PUSH(t->strs, s);
    facts_io_put_u32(&t->body, (uint32_t)(i + 1));
}

void facts_io_put_facts(facts_io_out *o, const facts *f) {
    strtab t = {0};
    t.index = strmap_new();
    facts_io_out *b = &t.body;
    ref(&t, f->file);
    facts_io_put_u32(b, f->status);
    facts_io_put_u32(b, (uint32_t)f->errors.n);
    for (size_t i = 0; i < f->errors.n; i++) ref(&t, f->errors.v[i]);
    facts_io_put_u32(b, (uint32_t)f->includes.n);
    for (size_t i = 0; i < f->includes.n; i++) ref(&t, f->includes.v[i]);
    facts_io_put_u32(b, (uint32_t)f->headers.n);
    for (size_t i = 0; i < f->headers.n; i++) ref(&t, f->headers.v[i]);
    facts_io_put_u32(b, (uint32_t)f->defines.n);
    for (size_t i = 0; i < f->defines.n; i++) ref(&t, f->defines.v[i]);
    facts_io_put_u32(b, (uint32_t)f->tests.n);
    for (size_t i = 0; i < f->tests.n; i++) ref(&t, f->tests.v[i]);
    facts_io_put_u32(b, (uint32_t)f->funcs.n);
    for (size_t i = 0; i < f->funcs.n; i++) {
        const fact_func *x = &f->funcs.v[i];
        ref(&t, x->id);
        ref(&t, x->name);
        ref(&t, x->file);
        ref(&t, x->type);
        ref(&t, x->ret);
        facts_io_put_int(b, x->line);
        facts_io_put_int(b, x->end_line);
        facts_io_put_int(b, x->loc);
        facts_io_put_u32(b, x->linkage);
        facts_io_put_u32(b, x->defined);
    }
    facts_io_put_u32(b, (uint32_t)f->globals.n);
    for (size_t i = 0; i < f->globals.n; i++) {
        const fact_global *x = &f->globals.v[i];
        ref(&t, x->id);
        ref(&t, x->name);
        ref(&t, x->file);
        ref(&t, x->parent);
        facts_io_put_int(b, x->line);
        facts_io_put_u32(b, x->linkage);
        facts_io_put_u32(b, x->kind);
        facts_io_put_u32(b, x->defined);
    }
    facts_io_put_u32(b, (uint32_t)f->calls.n);
    for (size_t i = 0; i < f->calls.n; i++) {
        const fact_call *x = &f->calls.v[i];
        ref(&t, x->from);
        ref(&t, x->to);
        ref(&t, x->key);
        ref(&t, x->file);
        facts_io_put_int(b, x->line);
        facts_io_put_int(b, x->col);
        facts_io_put_int(b, x->loop_depth);
        facts_io_put_u32(b, x->indirect);
        facts_io_put_u32(b, x->via);
        facts_io_put_u32(b, x->extra);
    }
    facts_io_put_u32(b, (uint32_t)f->accesses.n);
    for (size_t i = 0; i < f->accesses.n; i++) {
        const fact_access *x = &f->accesses.v[i];
        ref(&t, x->function);
        ref(&t, x->global);
        ref(&t, x->file);
        facts_io_put_int(b, x->line);
        facts_io_put_int(b, x->col);
        facts_io_put_u32(b, x->mode);
    }
    facts_io_put_u32(b, (uint32_t)f->stores.n);
    for (size_t i = 0; i < f->stores.n; i++) {
        const fact_store *x = &f->stores.v[i];
        ref(&t, x->function);
        ref(&t, x->key);
        ref(&t, x->file);
        facts_io_put_int(b, x->line);
        facts_io_put_int(b, x->arg);
        facts_io_put_u32(b, x->sink);
    }
    facts_io_put_u32(b, (uint32_t)f->params.n);
    for (size_t i = 0; i < f->params.n; i++) {
        const fact_param *x = &f->params.v[i];
        ref(&t, x->function);
        ref(&t, x->key);
        facts_io_put_int(b, x->arg);
        facts_io_put_int(b, x->to_arg);
        facts_io_put_u32(b, x->sink);
    }

    facts_io_put_u32(o, (uint32_t)t.strs.n);
    for (size_t i = 0; i < t.strs.n; i++) facts_io_put_str(o, t.strs.v[i]);
    putbytes(o, b->v, b->n);
    free(b->v);
    free(t.strs.v);
    strmap_free(t.index);
}

/* ---- reading ----------------------------------------------------------- */

static uint64_t get64at(const unsigned char *p) {
    uint64_t x = 0;
    for (int i = 7; i >= 0; i--) x = x << 8 | p[i];
    return x;
}

static uint32_t get32at(const unsigned char *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int facts_io_open(facts_io_in *in, const void *data, size_t len, unsigned kind, const char *key,
                  const char **why) {
    const unsigned char *d = data;
    in->p = NULL;
    in->n = in->off = 0;
    in->bad = 1;
    if (len < sizeof MAGIC || memcmp(d, MAGIC, sizeof MAGIC) != 0) {
        *why = "not a cleave facts file";
        return -1;
    }
    /* version and kind first: the header's size is the version's */
    if (len < 16) {
        *why = "truncated";
        return -1;
    }
    if (get32at(d + 8) != FACTS_IO_VERSION) {
        *why = "written by another version of cleave (facts format differs)";
        return -1;
    }
    if (get32at(d + 12) != kind) {
        *why = kind == FACTS_IO_SHARD ? "a cleave cache entry, not a shard file"
                                      : "a cleave facts file of another kind";
        return -1;
    }
    if (len < HEADER_SIZE) {
        *why = "truncated";
        return -1;
    }
    uint64_t plen = get64at(d + LENGTH_AT);
    if (plen != len - HEADER_SIZE) {
        *why = plen > len - HEADER_SIZE ? "truncated" : "trailing bytes after the payload";
        return -1;
    }
    if (hash_bytes(d + HEADER_SIZE, (size_t)plen, 0) != get64at(d + CHECKSUM_AT)) {
        *why = "checksum mismatch (corrupt)";
        return -1;
    }
    if (key && *key) {
        unsigned char tag[SHA256_SIZE];
        tagof(d, len, key, tag);
        if (!sha256_equal(tag, d + TAG_AT, SHA256_SIZE)) {
            *why = "not signed with the key in CLEAVE_CACHE_KEY";
            return -2;
        }
    }
    in->p = d + HEADER_SIZE;
    in->n = (size_t)plen;
    in->bad = 0;
    return 0;
}

uint64_t facts_io_image_size(const unsigned char *head) {
    if (memcmp(head, MAGIC, sizeof MAGIC) != 0) return 0;
    uint64_t plen = get64at(head + LENGTH_AT);
    return plen > UINT64_MAX - HEADER_SIZE ? 0 : plen + HEADER_SIZE;
}

/* The next n bytes, or NULL (and bad) past the end. */
static const unsigned char *take(facts_io_in *in, size_t n) {
    if (in->bad || in->n - in->off < n) {
        in->bad = 1;
        return NULL;
    }
    const unsigned char *p = in->p + in->off;
    in->off += n;
    return p;
}

uint32_t facts_io_get_u32(facts_io_in *in) {
    const unsigned char *p = take(in, 4);
    return p ? get32at(p) : 0;
}

uint64_t facts_io_get_u64(facts_io_in *in) {
    const unsigned char *p = take(in, 8);
    return p ? get64at(p) : 0;
}

int facts_io_get_int(facts_io_in *in) {
    uint32_t u = facts_io_get_u32(in);
    /* two's complement back to int without implementation-defined casts */
    return u <= INT32_MAX ? (int)u : -(int)(~u) - 1;
}

const char *facts_io_get_str(facts_io_in *in) {
    uint32_t n = facts_io_get_u32(in);
    if (n == 0) return NULL;
    const unsigned char *p = take(in, n);
    /* one NUL, at the end: no string may hide bytes after an inner NUL */
    if (!p || p[n - 1] != '\0' || memchr(p, '\0', n - 1)) {
        in->bad = 1;
        return NULL;
    }
    return (const char *)p;
}

size_t facts_io_get_count(facts_io_in *in, size_t least) {
    size_t n = facts_io_get_u32(in);
    if (in->bad || n > (in->n - in->off) / (least ? least : 1)) {
        in->bad = 1;
        return 0;
    }
    return n;
}

int facts_io_done(const facts_io_in *in) {
    return !in->bad && in->off == in->n ? 0 : -1;
}

/* Decoding state of one record: its interned string table and which
 * entries name a function or global the record declares. */
typedef struct reader {
    facts_io_in *in;
    facts *f;
    const char **strs;
    size_t n;
    unsigned char *isfunc, *isglobal; /* by table position, 1-based */
} reader;

/* A string reference; *at receives its table position (0 for NULL). */
static const char *getref(reader *r, size_t *at) {
    uint32_t i = facts_io_get_u32(r->in);
    if (i > r->n) r->in->bad = 1;
    if (r->in->bad || i == 0) {
        if (at) *at = 0;
        return NULL;
    }
    if (at) *at = i;
    return r->strs[i - 1];
}

/* A reference that may not be NULL. */
static const char *need(reader *r, size_t *at) {
    const char *s = getref(r, at);
    if (!s) r->in->bad = 1;
    return s;
}

static unsigned getenum(reader *r, unsigned max) {
    uint32_t v = facts_io_get_u32(r->in);
    if (v > max) r->in->bad = 1;
    return v;
}

/* A reference to a function id the record declares. */
static const char *funcref(reader *r) {
    size_t at;
    const char *s = need(r, &at);
    if (s && !r->isfunc[at]) r->in->bad = 1;
    return s;
}

static void getfuncs(reader *r) {
    size_t n = facts_io_get_count(r->in, 40);
    for (size_t i = 0; i < n && !r->in->bad; i++) {
        fact_func x = {0};
        size_t at;
        x.id = need(r, &at);
        x.name = need(r, NULL);
        x.file = getref(r, NULL);
        x.type = getref(r, NULL);
        x.ret = getref(r, NULL);
        x.line = facts_io_get_int(r->in);
        x.end_line = facts_io_get_int(r->in);
        x.loc = facts_io_get_int(r->in);
        x.linkage = getenum(r, LINK_STATIC);
        x.defined = getenum(r, 1);
        if (r->in->bad) return;
        r->isfunc[at] = 1;
        VEC_PUSH(r->f->funcs, x);
    }
}

static void getglobals(reader *r) {
    size_t n = facts_io_get_count(r->in, 32);
    for (size_t i = 0; i < n && !r->in->bad; i++) {
        fact_global x = {0};
        size_t at;
        x.id = need(r, &at);
        x.name = need(r, NULL);
        x.file = getref(r, NULL);
        x.parent = getref(r, NULL);
        x.line = facts_io_get_int(r->in);
        x.linkage = getenum(r, LINK_STATIC);
        x.kind = getenum(r, GKIND_FIELD);
        x.defined = getenum(r, 1);
        if (r->in->bad) return;
        r->isglobal[at] = 1;
        VEC_PUSH(r->f->globals, x);
    }
}

static void getcalls(reader *r) {
    size_t n = facts_io_get_count(r->in, 40);
    for (size_t i = 0; i < n && !r->in->bad; i++) {
        fact_call x = {0};
        x.from = funcref(r);
        size_t to;
        x.to = getref(r, &to);
        x.key = getref(r, NULL);
        x.file = getref(r, NULL);
        x.line = facts_io_get_int(r->in);
        x.col = facts_io_get_int(r->in);
        x.loop_depth = facts_io_get_int(r->in);
        x.indirect = getenum(r, 1);
        x.via = getenum(r, VIA_UNKNOWN);
        x.extra = getenum(r, 1);
        /* a direct call names a declared callee; an indirect one a key
         * unless its targets are unknown */
        if (!x.indirect && !r->isfunc[to]) r->in->bad = 1;
        if (x.indirect && x.via != VIA_UNKNOWN && !x.key) r->in->bad = 1;
        if (x.extra && !x.indirect) r->in->bad = 1;
        if (r->in->bad) return;
        VEC_PUSH(r->f->calls, x);
    }
}

static void getaccesses(reader *r) {
    size_t n = facts_io_get_count(r->in, 24);
    for (size_t i = 0; i < n && !r->in->bad; i++) {
        fact_access x = {0};
        size_t at;
        x.function = funcref(r);
        x.global = need(r, &at);
        x.file = getref(r, NULL);
        x.line = facts_io_get_int(r->in);
        x.col = facts_io_get_int(r->in);
        x.mode = getenum(r, MODE_ADDRESS);
        if (x.global && !r->isglobal[at]) r->in->bad = 1;
        if (r->in->bad) return;
        VEC_PUSH(r->f->accesses, x);
    }
}

static void getstores(reader *r) {
    size_t n = facts_io_get_count(r->in, 24);
    for (size_t i = 0; i < n && !r->in->bad; i++) {
        fact_store x = {0};
        x.function = funcref(r);
        x.key = getref(r, NULL);
        x.file = getref(r, NULL);
        x.line = facts_io_get_int(r->in);
        x.arg = facts_io_get_int(r->in);
        x.sink = getenum(r, SINK_ARG);
        if (x.sink != SINK_NONE && !x.key) r->in->bad = 1;
        if (r->in->bad) return;
        VEC_PUSH(r->f->stores, x);
    }
}

static void getparams(reader *r) {
    size_t n = facts_io_get_count(r->in, 20);
    for (size_t i = 0; i < n && !r->in->bad; i++) {
        fact_param x = {0};
        x.function = need(r, NULL);
        x.key = need(r, NULL);
        x.arg = facts_io_get_int(r->in);
        x.to_arg = facts_io_get_int(r->in);
        x.sink = getenum(r, SINK_ARG);
        if (x.sink == SINK_NONE) r->in->bad = 1;
        if (r->in->bad) return;
        VEC_PUSH(r->f->params, x);
    }
}

/* n references into a string vector (errors, includes, headers, defines,
 * tests). */
static void getstrvec(reader *r, strvec *out) {
    size_t n = facts_io_get_count(r->in, 4);
    for (size_t i = 0; i < n && !r->in->bad; i++) {
        const char *s = need(r, NULL);
        if (s) strvec_push(out, s);
    }
}

facts *facts_io_get_facts(facts_io_in *in) {
    reader r = {0};
    r.in = in;
    r.n = facts_io_get_count(in, 5);
    const char **raw = xmallocarray(r.n, sizeof *raw);
    for (size_t i = 0; i < r.n && !in->bad; i++)
        if (!(raw[i] = facts_io_get_str(in))) in->bad = 1;
    uint32_t file = facts_io_get_u32(in);
    if (file == 0 || file > r.n) in->bad = 1;
    if (in->bad) {
        free(raw);
        return NULL;
    }
    r.f = facts_new(raw[file - 1]);
    r.strs = xmallocarray(r.n, sizeof *r.strs);
    for (size_t i = 0; i < r.n; i++) r.strs[i] = facts_str(r.f, raw[i]);
    free(raw);
    r.isfunc = xcalloc(r.n + 1, 1);
    r.isglobal = xcalloc(r.n + 1, 1);

    r.f->status = getenum(&r, UNIT_FAILED);
    getstrvec(&r, &r.f->errors);
    getstrvec(&r, &r.f->includes);
    getstrvec(&r, &r.f->headers);
    getstrvec(&r, &r.f->defines);
    getstrvec(&r, &r.f->tests);
    getfuncs(&r);
    getglobals(&r);
    getcalls(&r);
    getaccesses(&r);
    getstores(&r);
    getparams(&r);

    free(r.strs);
    free(r.isfunc);
    free(r.isglobal);
    if (in->bad) {
        facts_free(r.f);
        return NULL;
    }
    return r.f;
}
