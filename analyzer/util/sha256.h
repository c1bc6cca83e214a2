/*
 * sha256.h - SHA-256 (FIPS 180-4) and HMAC-SHA-256 (RFC 2104), written
 * here because cleave depends on no crypto library.  They authenticate
 * cache entries and shard files against a key (CLEAVE_CACHE_KEY,
 * docs/security.md); XXH64 (hash.h) detects corruption, not forgery.
 *
 * Contexts live on the caller's stack; nothing is allocated and nothing
 * fails.  Streaming: init, any number of updates, final.
 */
#ifndef CLEAVE_SHA256_H
#define CLEAVE_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_SIZE 32
#define SHA256_BLOCK 64

typedef struct sha256_ctx {
    uint32_t h[8];
    uint64_t len; /* bytes hashed so far */
    unsigned char buf[SHA256_BLOCK];
    size_t nbuf;
} sha256_ctx;

void sha256_init(sha256_ctx *c);
void sha256_update(sha256_ctx *c, const void *data, size_t n);
void sha256_final(sha256_ctx *c, unsigned char out[SHA256_SIZE]);

typedef struct sha256_hmac_ctx {
    sha256_ctx inner;
    unsigned char okey[SHA256_BLOCK]; /* the key xor opad, for the outer hash */
} sha256_hmac_ctx;

/* HMAC-SHA-256 with a key of any length (a longer one than a block is
 * hashed first, as RFC 2104 says). */
void sha256_hmac_init(sha256_hmac_ctx *c, const void *key, size_t keylen);
void sha256_hmac_update(sha256_hmac_ctx *c, const void *data, size_t n);
void sha256_hmac_final(sha256_hmac_ctx *c, unsigned char out[SHA256_SIZE]);

/* Whether a[0..n) equals b[0..n), in time that does not depend on where
 * they differ (a tag compared byte by byte with an early exit would tell
 * a forger how many leading bytes are right). */
int sha256_equal(const unsigned char *a, const unsigned char *b, size_t n);

#endif
