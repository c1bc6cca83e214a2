/*
 * cache.c - the per-TU facts cache (cache.h).
 *
 * Entry payload: str tool | str key text | u32 n, n x (str dependency,
 * u64 size, u64 hash) | facts record.  The first dependency is the source
 * file.  The file name hashes the key text only, not the tool: a rebuilt
 * cleave or another libclang replaces a unit's entry instead of adding one
 * beside it, so the cache holds one entry per unit and flag set.
 * Dependencies are stored as the front end records includes (relative to
 * the root, or absolute), except that a file in the project's stand-in
 * directory, whose name changes on every run, is stored as "\1" + its path
 * inside that directory; the key text maps the directory in the arguments
 * the same way.
 *
 * Each file is hashed at most once per run: `files` maps its absolute path
 * to what was read, under `lock`.  Hashing happens outside the lock; two
 * threads may hash one file at the same time, and the first result stays.
 */
#define _POSIX_C_SOURCE 200809L
#include "scan/cache.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "frontend/facts_io.h"
#include "frontend/libclang.h"
#include "util/hash.h"
#include "util/strmap.h"

#ifndef CLEAVE_VERSION
#define CLEAVE_VERSION "0.0.0"
#endif

#define STANDIN_MARK '\1'

/* What one file held when it was first read in this run. */
typedef struct fileinfo {
    uint64_t size, hash;
    int ok;    /* read in full */
    int fresh; /* modified after the scan started */
} fileinfo;

struct cache {
    char *dir;
    char *root;
    char *standin_dir; /* NULL without stand-ins */
    char *tool;        /* cleave executable hash and libclang file identity */
    char *key;         /* CLEAVE_CACHE_KEY, or NULL */
    char *allowed;     /* the --allow-dir folders, which change what a unit may read */
    struct timespec start;
    pthread_mutex_t lock;
    strmap *files; /* absolute path -> index in infos */
    struct { fileinfo *v; size_t n, cap; } infos;
    int dir_ready, failed;
    size_t refused; /* unit entries without the key's tag */
    int quiet;      /* -q: a failure to write is not said */
};

/* Hash of the running executable, so a rebuilt cleave starts afresh. */
static char *toolid(void) {
    size_t len;
    char *exe = file_read_all("/proc/self/exe", &len);
    char hex[17] = "unknown";
    if (exe) hash_hex(hash_bytes(exe, len, 0), hex);
    free(exe);
    char *lib = libclang_id();
    char *id = xasprintf("cleave %s %s; %s", CLEAVE_VERSION, hex, lib);
    free(lib);
    return id;
}

cache *cache_new(const char *dir, const project *p, const char *key, int quiet) {
    cache *c = xcalloc(1, sizeof *c);
    c->dir = xstrdup(dir);
    c->key = key && *key ? xstrdup(key) : NULL;
    c->root = xstrdup(p->root);
    c->standin_dir = p->standin_dir ? xstrdup(p->standin_dir) : NULL;
    c->tool = toolid();
    c->quiet = quiet;
    strbuf a = {0};
    for (size_t i = 0; i < p->allowed.n; i++) strbuf_printf(&a, "\x1f%s", p->allowed.v[i]);
    c->allowed = a.v ? a.v : xstrdup("");
    clock_gettime(CLOCK_REALTIME, &c->start);
    pthread_mutex_init(&c->lock, NULL);
    c->files = strmap_new();
    return c;
}

void cache_free(cache *c) {
    if (!c) return;
    strmap_free(c->files);
    free(c->infos.v);
    pthread_mutex_destroy(&c->lock);
    free(c->dir);
    free(c->root);
    free(c->standin_dir);
    free(c->tool);
    free(c->key);
    free(c->allowed);
    free(c);
}

size_t cache_refused(cache *c) {
    pthread_mutex_lock(&c->lock);
    size_t n = c->refused;
    pthread_mutex_unlock(&c->lock);
    return n;
}

int cache_dir_check(const char *dir, const char **why) {
    struct stat st;
    if (lstat(dir, &st) != 0) return 0; /* made on the first store */
    if (S_ISDIR(st.st_mode)) return 0;
    *why = S_ISLNK(st.st_mode) ? "a symbolic link, not a directory" : "not a directory";
    return -1;
}

char *cache_default_dir(const project *p) {
    if (p->db_path) {
        char *dir = path_dirname(p->db_path);
        char *r = path_join(dir, ".cleave-cache");
        free(dir);
        return r;
    }
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    char *base;
    if (xdg && xdg[0] == '/')
        base = xstrdup(xdg);
    else if (home && home[0] == '/')
        base = path_join(home, ".cache");
    else
        return NULL;
    char hex[17];
    hash_hex(hash_bytes(p->root, strlen(p->root), 0), hex);
    char *r = xasprintf("%s/cleave/%s-%s", base, path_basename(p->root), hex);
    free(base);
    return r;
}

/* ---- file contents ----------------------------------------------------- */

static int after(const struct timespec *a, const struct timespec *b) {
    return a->tv_sec > b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec >= b->tv_nsec);
}

static void readinfo(const cache *c, const char *path, fileinfo *fi) {
    memset(fi, 0, sizeof *fi);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0) return;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
        size_t size = (size_t)st.st_size, got = 0;
        char *buf = xmalloc(size);
        while (got < size) {
            ssize_t r = read(fd, buf + got, size - got);
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) break;
            got += (size_t)r;
        }
        fi->ok = got == size;
        fi->size = size;
        fi->hash = hash_bytes(buf, size, 0);
        fi->fresh = after(&st.st_mtim, &c->start);
        free(buf);
    }
    close(fd);
}

/* What the file at absolute path held when this run first read it. */
static fileinfo info(cache *c, const char *path) {
    fileinfo fi;
    size_t i;
    pthread_mutex_lock(&c->lock);
    int known = strmap_get(c->files, path, &i);
    if (known) fi = c->infos.v[i];
    pthread_mutex_unlock(&c->lock);
    if (known) return fi;
    readinfo(c, path, &fi);
    pthread_mutex_lock(&c->lock);
    int added;
    i = strmap_intern(c->files, path, c->infos.n, &added);
    if (added) VEC_PUSH(c->infos, fi);
    fi = c->infos.v[i];
    pthread_mutex_unlock(&c->lock);
    return fi;
}

/* Absolute path of a stored dependency, or NULL (no stand-ins now). */
static char *resolve(const cache *c, const char *dep) {
    if (dep[0] == STANDIN_MARK) return c->standin_dir ? path_join(c->standin_dir, dep + 1) : NULL;
    return path_join(c->root, dep);
}

/* A dependency as stored: an include as the front end recorded it. */
static char *deptoken(const cache *c, const char *inc) {
    char *rel = c->standin_dir ? path_relative(c->standin_dir, inc) : NULL;
    if (!rel) return xstrdup(inc);
    char *t = xasprintf("%c%s", STANDIN_MARK, rel);
    free(rel);
    return t;
}

/* ---- keys and entries -------------------------------------------------- */

/* s with every occurrence of the stand-in directory replaced by the mark. */
static void addmapped(strbuf *b, const cache *c, const char *s) {
    size_t sl = c->standin_dir ? strlen(c->standin_dir) : 0;
    const char *at;
    while (sl && (at = strstr(s, c->standin_dir))) {
        strbuf_addn(b, s, (size_t)(at - s));
        strbuf_addn(b, (const char[]){STANDIN_MARK}, 1);
        s = at + sl;
    }
    strbuf_add(b, s);
}

static char *keytext(const cache *c, const project_job *job) {
    strbuf b = {0};
    strbuf_printf(&b, "facts %d\x1f%s\x1f%s\x1f%s", FACTS_IO_VERSION, c->root, job->file,
                  job->directory);
    for (size_t i = 0; i < job->args.n; i++) {
        strbuf_add(&b, "\x1f");
        addmapped(&b, c, job->args.v[i]);
    }
    if (c->allowed[0]) strbuf_printf(&b, "\x1f--allow-dir%s", c->allowed);
    /* the record says which of these the unit defines and tests */
    for (size_t i = 0; i < job->macros.n; i++)
        strbuf_printf(&b,
                      "\x1f"
                      "build-macro %s",
                      job->macros.v[i]);
    /* a second build's ids carry its name */
    if (job->build) strbuf_printf(&b, "\x1f" "build %s", job->build);
    return b.v;
}

static char *entrypath(const cache *c, const char *key) {
    char hex[17];
    hash_hex(hash_bytes(key, strlen(key), 0), hex);
    return xasprintf("%s/%s.facts", c->dir, hex);
}

/* Whether the stored dependency still has the stored size and hash. */
static int depvalid(cache *c, const char *dep, uint64_t size, uint64_t hash) {
    char *path = resolve(c, dep);
    if (!path) return 0;
    fileinfo fi = info(c, path);
    free(path);
    return fi.ok && fi.size == size && fi.hash == hash;
}

/*
 * Reads job's entry and checks everything but the facts: tag, tool, key
 * and every dependency.  Returns the entry's bytes (the caller frees them)
 * with *in positioned at the facts record, or NULL when there is no valid
 * entry.  With deps, the dependencies are appended to it (the source, then
 * the includes in order); with untagged, it is set when the entry was
 * refused for its tag alone.
 */
static char *openentry(cache *c, const project_job *job, size_t *len, facts_io_in *in,
                       strvec *deps, int *untagged) {
    char *key = keytext(c, job);
    char *path = entrypath(c, key);
    char *data = file_read_all(path, len);
    const char *why;
    int rc = data ? facts_io_open(in, data, *len, FACTS_IO_CACHE, c->key, &why) : -1;
    if (untagged) *untagged = rc == -2;
    int ok = rc == 0;
    if (ok) {
        const char *tool = facts_io_get_str(in), *stored = facts_io_get_str(in);
        ok = tool && strcmp(tool, c->tool) == 0 && stored && strcmp(stored, key) == 0;
    }
    size_t n = ok ? facts_io_get_count(in, 21) : 0;
    for (size_t i = 0; i < n && ok; i++) {
        const char *dep = facts_io_get_str(in);
        uint64_t size = facts_io_get_u64(in), hash = facts_io_get_u64(in);
        ok = dep && depvalid(c, dep, size, hash);
        if (ok && deps) strvec_push(deps, dep);
    }
    free(path);
    free(key);
    if (ok) return data;
    free(data);
    return NULL;
}

facts *cache_load(cache *c, const project_job *job, uint64_t *digest) {
    size_t len;
    facts_io_in in;
    int untagged;
    strvec deps = {0};
    char *data = openentry(c, job, &len, &in, &deps, &untagged);
    if (untagged) {
        pthread_mutex_lock(&c->lock);
        c->refused++;
        pthread_mutex_unlock(&c->lock);
    }
    facts *f = data ? facts_io_get_facts(&in) : NULL;
    if (f && (facts_io_done(&in) != 0 || deps.n != 1 + f->includes.n)) {
        facts_free(f);
        f = NULL;
    }
    /* the record names stand-ins in the folder of the scan that stored
     * it; the dependencies (the source, then the includes in order) say
     * which they are, in this scan's folder */
    for (size_t i = 0; f && i < f->includes.n; i++) {
        if (deps.v[i + 1][0] != STANDIN_MARK) continue;
        free(f->includes.v[i]);
        f->includes.v[i] = resolve(c, deps.v[i + 1]);
    }
    if (f) *digest = hash_bytes(data, len, 0);
    strvec_free(&deps);
    free(data);
    return f;
}

int cache_probe(cache *c, const project_job *job, uint64_t *digest) {
    size_t len;
    facts_io_in in;
    char *data = openentry(c, job, &len, &in, NULL, NULL);
    int ok = data != NULL;
    if (ok) *digest = hash_bytes(data, len, 0);
    free(data);
    return ok;
}

/* mkdir -p; 0 or -1 with errno. */
static int makedirs(const char *dir) {
    char *p = xstrdup(dir);
    int rc = 0;
    for (char *s = p + 1; rc == 0; s++) {
        if (*s != '/' && *s != '\0') continue;
        char was = *s;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) rc = -1;
        *s = was;
        if (!was) break;
    }
    free(p);
    return rc;
}

/* Creates the directory and its CACHEDIR.TAG (backup tools skip it). */
static int preparedir(const cache *c) {
    static const char TAG[] = "Signature: 8a477f597d28d172789f06886806bc55\n"
                              "# This file is a cache directory tag created by cleave.\n"
                              "# See https://bford.info/cachedir/\n";
    if (makedirs(c->dir) != 0) return -1;
    char *tag = path_join(c->dir, "CACHEDIR.TAG");
    struct stat st;
    int rc = stat(tag, &st) == 0 ? 0 : file_write_atomic(tag, TAG, sizeof TAG - 1);
    free(tag);
    return rc;
}

/* Appends one dependency; returns 0, or -1 when it must not be trusted. */
static int putdep(cache *c, facts_io_out *o, const char *token) {
    char *path = resolve(c, token);
    fileinfo fi = info(c, path);
    free(path);
    if (!fi.ok || fi.fresh) return -1;
    facts_io_put_str(o, token);
    facts_io_put_u64(o, fi.size);
    facts_io_put_u64(o, fi.hash);
    return 0;
}

/* The first failure to write (errno err) is reported once (unless quiet)
 * and turns later writes off.  Called under the lock. */
static void writefailed(cache *c, int err) {
    if (!c->failed && !c->quiet)
        stderr_printf("cleave: warning: %s: cannot write the cache (%s); continuing without\n",
                      c->dir, strerror(err));
    c->failed = 1;
}

/* Makes the directory unless it is made or writing failed; 0 when it is
 * there.  Called under the lock. */
static int ready(cache *c) {
    if (c->failed) return -1;
    if (c->dir_ready) return 0;
    if (preparedir(c) != 0) {
        writefailed(c, errno);
        return -1;
    }
    c->dir_ready = 1;
    return 0;
}

void cache_prepare(cache *c) {
    pthread_mutex_lock(&c->lock);
    ready(c);
    pthread_mutex_unlock(&c->lock);
}

/* Writes a sealed image to path, creating the directory first.  0 or -1. */
static int writeentry(cache *c, const char *path, const facts_io_out *o) {
    pthread_mutex_lock(&c->lock);
    int rc = ready(c);
    pthread_mutex_unlock(&c->lock);
    if (rc != 0) return -1;
    /* no fsync: an entry a crash truncates fails its checksum, a miss */
    if (file_write_atomic_nosync(path, (const char *)o->v, o->n) == 0) return 0;
    int err = errno;
    pthread_mutex_lock(&c->lock);
    writefailed(c, err);
    pthread_mutex_unlock(&c->lock);
    return -1;
}

int cache_store(cache *c, const project_job *job, const facts *f, uint64_t *digest) {
    if (f->status != UNIT_OK) return 0;
    char *key = keytext(c, job);
    facts_io_out o = {0};
    facts_io_begin(&o, FACTS_IO_CACHE);
    facts_io_put_str(&o, c->tool);
    facts_io_put_str(&o, key);
    facts_io_put_u32(&o, (uint32_t)(1 + f->includes.n));
    int rc = 0, skip = putdep(c, &o, job->file);
    for (size_t i = 0; i < f->includes.n && !skip; i++) {
        char *t = deptoken(c, f->includes.v[i]);
        skip = putdep(c, &o, t);
        free(t);
    }
    if (!skip) {
        facts_io_put_facts(&o, f);
        facts_io_finish(&o, c->key);
        char *path = entrypath(c, key);
        rc = writeentry(c, path, &o) == 0 ? 1 : -1;
        if (rc == 1) *digest = hash_bytes(o.v, o.n, 0);
        free(path);
    }
    free(o.v);
    free(key);
    return rc;
}

/* ---- whole graphs ------------------------------------------------------ */

static char *graphpath(const cache *c, const char *name) {
    char hex[17];
    hash_hex(hash_bytes(name, strlen(name), 0), hex);
    return xasprintf("%s/graph-%s.facts", c->dir, hex);
}

char *cache_graph_load(cache *c, const char *name, const char *key, char **summary) {
    char *path = graphpath(c, name);
    size_t len;
    char *data = file_read_all(path, &len);
    free(path);
    facts_io_in in;
    const char *why, *json = NULL, *sum = NULL;
    if (data && facts_io_open(&in, data, len, FACTS_IO_GRAPH, c->key, &why) == 0) {
        const char *tool = facts_io_get_str(&in), *n = facts_io_get_str(&in);
        const char *k = facts_io_get_str(&in);
        sum = facts_io_get_str(&in);
        json = facts_io_get_str(&in);
        if (facts_io_done(&in) != 0 || !tool || strcmp(tool, c->tool) != 0 || !n ||
            strcmp(n, name) != 0 || !k || strcmp(k, key) != 0 || !sum)
            json = NULL;
    }
    char *r = json ? xstrdup(json) : NULL;
    if (r) *summary = xstrdup(sum);
    free(data);
    return r;
}

int cache_graph_store(cache *c, const char *name, const char *key, const char *json,
                      const char *summary) {
    facts_io_out o = {0};
    facts_io_begin(&o, FACTS_IO_GRAPH);
    facts_io_put_str(&o, c->tool);
    facts_io_put_str(&o, name);
    facts_io_put_str(&o, key);
    facts_io_put_str(&o, summary);
    facts_io_put_str(&o, json);
    facts_io_finish(&o, c->key);
    char *path = graphpath(c, name);
    int rc = writeentry(c, path, &o);
    free(path);
    free(o.v);
    return rc;
}
