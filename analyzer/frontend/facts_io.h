/*
 * facts_io.h - facts records as bytes: the one binary format behind cache
 * entries (cache.c) and shard files (scan --shard, cleave merge), so a
 * record read back from either is the record a worker produced.
 *
 * (cache.c also keeps whole graphs in this container.)
 *
 * A file image is a header, then a payload:
 *   "CLVFACTS" | u32 version | u32 kind | u64 payload length |
 *   u64 XXH64 of the payload | 32-byte tag | payload
 * Integers are little-endian; a string is u32 (length + 1, 0 for NULL),
 * the bytes, then a NUL.  What the payload holds besides facts records is
 * up to the kind's owner, written and read with the put / get calls below.
 *
 * The tag is zero, or with a key (CLEAVE_CACHE_KEY, docs/security.md) the
 * HMAC-SHA-256 (util/sha256.h) of the header's first 32 bytes and the
 * payload: the checksum catches a damaged image, the tag a forged one
 * (anyone can recompute a checksum, only the key's holder a tag).
 *
 * Nothing read is trusted: facts_io_open checks magic, version, kind,
 * length, checksum and, given a key, the tag; every get is bounds-checked
 * and only sets a flag on
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

/* Bumped whenever the layout of the header, a payload or a record changes;
 * an image of another version is refused before anything else is read
 * (the cache takes it as a miss).  3: the headers a unit includes in its
 * record; 4: a shard's stand-in unit counts, unseen code and builds; 5:
 * the tag in the header; 6: a call's `extra`, and calls through locals
 * assigned function addresses (a cached record of 5 lacks them); 7: the
 * build macros a unit defines and tests; 8: where a shard's project is
 * (root, database and its digest, --allow-dir folders), for `cleave merge`
 * to read second builds. */
#define FACTS_IO_VERSION 8

/* Bytes before the payload. */
#define FACTS_IO_HEADER_SIZE 64

/* A cache entry of one unit, a shard file, a cached whole-project graph,
 * a unit's record sent by a worker process to the scan (scan/workers.c). */
enum facts_io_kind { FACTS_IO_CACHE = 1, FACTS_IO_SHARD = 2, FACTS_IO_GRAPH = 3, FACTS_IO_UNIT = 4 };

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
/* Seals the image: fills in the payload length and checksum, and with a
 * key (NULL or "" for none) the tag. */
void facts_io_finish(facts_io_out *o, const char *key);

void facts_io_put_u32(facts_io_out *o, uint32_t x);
void facts_io_put_u64(facts_io_out *o, uint64_t x);
void facts_io_put_int(facts_io_out *o, int x);
void facts_io_put_str(facts_io_out *o, const char *s); /* NULL allowed */
void facts_io_put_facts(facts_io_out *o, const facts *f);

/*
 * Checks the header of the image data[0..len) and points *in at its
 * payload.  With a key (NULL or "" for none), the tag must be the key's.
 * Returns 0; -1 with a static reason in *why ("not a cleave facts file",
 * "truncated", "checksum mismatch", ...); or -2 when the image is intact
 * but its tag is not the key's (unsigned, or signed with another key).
 */
int facts_io_open(facts_io_in *in, const void *data, size_t len, unsigned kind, const char *key,
                  const char **why);

/* The size of the whole image whose first FACTS_IO_HEADER_SIZE bytes
 * are `head`, as its header claims (facts_io_open checks it), or 0 when
 * they are not a facts image header.  For a reader of a stream. */
uint64_t facts_io_image_size(const unsigned char *head);

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
