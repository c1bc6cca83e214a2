/*
 * facts_io.h - facts records as bytes: the one binary format behind cache
 * entries (cache.c) and shard files (scan --shard, cleave merge), so a
 * record read back from either is the record a worker produced.
 *
 * (cache.c also keeps whole graphs in this container.)
 *
 * A file image is a header, then a payload:
 *   "CLVFACTS" | u32 version | u32 kind | u64 payload length |
 *   u64 XXH64 of the payload | payload
 * Integers are little-endian; a string is u32 (length + 1, 0 for NULL),
 * the bytes, then a NUL.  What the payload holds besides facts records is
 * up to the kind's owner, written and read with the put / get calls below.
 *
 * Nothing read is trusted: facts_io_open checks magic, version, kind,
 * length and checksum; every get is bounds-checked and only sets a flag on
 * failure, so a reader runs to the end and checks once (facts_io_done).
 * facts_io_get_facts also checks every enum, string reference and count,
 * and that the ids a call, access or store refers to are declared in the
 * record, which merge.c relies on.  A corrupt or truncated image is
 * rejected whole, never half-read.
 *
 * Memory: a facts_io_out owns its bytes (free(out.v)); a facts_io_in only
 * points into bytes the caller keeps alive while reading; strings from
 * facts_io_get_str point into those bytes too; records from
 * facts_io_get_facts are independent copies the caller frees.
 */
#ifndef CLEAVE_FACTS_IO_H
#define CLEAVE_FACTS_IO_H

#include <stddef.h>
#include <stdint.h>

#include "frontend/facts.h"

/* Bumped whenever the layout of the payload or of a record changes. */
#define FACTS_IO_VERSION 4

/* A cache entry of one unit, a shard file, a cached whole-project graph. */
enum facts_io_kind { FACTS_IO_CACHE = 1, FACTS_IO_SHARD = 2, FACTS_IO_GRAPH = 3 };

typedef struct facts_io_out {
    unsigned char *v;
    size_t n, cap;
} facts_io_out;

typedef struct facts_io_in {
    const unsigned char *p;
    size_t n, off;
    int bad; /* set by the first out-of-bounds or malformed read */
} facts_io_in;

/* Starts a file image of `kind` in o (emptied first); never fails. */
void facts_io_begin(facts_io_out *o, unsigned kind);
/* Seals the image: fills in the payload length and checksum. */
void facts_io_finish(facts_io_out *o);

void facts_io_put_u32(facts_io_out *o, uint32_t x);
void facts_io_put_u64(facts_io_out *o, uint64_t x);
void facts_io_put_int(facts_io_out *o, int x);
void facts_io_put_str(facts_io_out *o, const char *s); /* NULL allowed */
void facts_io_put_facts(facts_io_out *o, const facts *f);

/*
 * Checks the header of the image data[0..len) and points *in at its
 * payload.  Returns 0, or -1 with a static reason in *why ("not a cleave
 * facts file", "truncated", "checksum mismatch", ...).
 */
int facts_io_open(facts_io_in *in, const void *data, size_t len, unsigned kind,
                  const char **why);

/* Reads return 0 / NULL once in->bad is set. */
uint32_t facts_io_get_u32(facts_io_in *in);
uint64_t facts_io_get_u64(facts_io_in *in);
int facts_io_get_int(facts_io_in *in);
/* A string inside the image (NULL for a stored NULL, or on failure). */
const char *facts_io_get_str(facts_io_in *in);
/* A count of items that each take at least `least` bytes: more than the
 * bytes left can hold marks the input bad (no huge allocation). */
size_t facts_io_get_count(facts_io_in *in, size_t least);
/* A new record, or NULL (and in->bad set) when the bytes do not hold a
 * valid one.  The caller frees it with facts_free. */
facts *facts_io_get_facts(facts_io_in *in);
/* 0 when every read succeeded and the payload was read to its end. */
int facts_io_done(const facts_io_in *in);

#endif
