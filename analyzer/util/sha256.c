/*
 * sha256.c - SHA-256 from FIPS 180-4 section 6.2 and HMAC from RFC 2104
 * (sha256.h).  Words are assembled big-endian byte by byte, so the result
 * does not depend on the host's byte order or alignment.  Checked against
 * FIPS 180's examples and RFC 4231's HMAC-SHA-256 test cases
 * (tests/util/test_sha256.c).  Speed is not a concern: a cache entry is
 * tens of kilobytes, hashed once when written and once when read.
 */
#include "util/sha256.h"

#include <string.h>

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4,
    0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe,
    0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f,
    0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
    0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc,
    0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116,
    0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
    0xc67178f2,
};

static uint32_t ror(uint32_t x, int n) {
    return (x >> n) | (x << (32 - n));
}

/* One 64-byte block into the state (FIPS 180-4, 6.2.2). */
static void block(uint32_t h[8], const unsigned char *p) {
    uint32_t w[64];
    for (int t = 0; t < 16; t++)
        w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 |
               (uint32_t)p[4 * t + 2] << 8 | (uint32_t)p[4 * t + 3];
    for (int t = 16; t < 64; t++) {
        uint32_t s0 = ror(w[t - 15], 7) ^ ror(w[t - 15], 18) ^ (w[t - 15] >> 3);
        uint32_t s1 = ror(w[t - 2], 17) ^ ror(w[t - 2], 19) ^ (w[t - 2] >> 10);
        w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (int t = 0; t < 64; t++) {
        uint32_t t1 = k + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) + ((e & f) ^ (~e & g)) + K[t] + w[t];
        uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
        k = g;
        g = f;
        f = e;
        e = d + t1;
        d = c;
        c = b;
        b = a;
        a = t1 + t2;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += k;
}

void sha256_init(sha256_ctx *c) {
    static const uint32_t H0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                   0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    memcpy(c->h, H0, sizeof H0);
    c->len = 0;
    c->nbuf = 0;
}

void sha256_update(sha256_ctx *c, const void *data, size_t n) {
    const unsigned char *p = data;
    c->len += n;
    if (c->nbuf) {
        size_t take = SHA256_BLOCK - c->nbuf < n ? SHA256_BLOCK - c->nbuf : n;
        memcpy(c->buf + c->nbuf, p, take);
        c->nbuf += take;
        p += take;
        n -= take;
        if (c->nbuf < SHA256_BLOCK) return;
        block(c->h, c->buf);
        c->nbuf = 0;
    }
    for (; n >= SHA256_BLOCK; p += SHA256_BLOCK, n -= SHA256_BLOCK) block(c->h, p);
    if (n) memcpy(c->buf, p, n);
    c->nbuf = n;
}

void sha256_final(sha256_ctx *c, unsigned char out[SHA256_SIZE]) {
    /* a 1 bit, zeros to 56 bytes mod 64, then the length in bits */
    uint64_t bits = c->len * 8;
    c->buf[c->nbuf++] = 0x80;
    if (c->nbuf > SHA256_BLOCK - 8) {
        memset(c->buf + c->nbuf, 0, SHA256_BLOCK - c->nbuf);
        block(c->h, c->buf);
        c->nbuf = 0;
    }
    memset(c->buf + c->nbuf, 0, SHA256_BLOCK - 8 - c->nbuf);
    for (int i = 0; i < 8; i++) c->buf[SHA256_BLOCK - 1 - i] = (unsigned char)(bits >> (8 * i));
    block(c->h, c->buf);
    for (int i = 0; i < 8; i++) {
        out[4 * i] = (unsigned char)(c->h[i] >> 24);
        out[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
        out[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
        out[4 * i + 3] = (unsigned char)c->h[i];
    }
}

/* HMAC(K, m) = H((K0 ^ opad) || H((K0 ^ ipad) || m)), K0 the key padded
 * to a block (hashed first when longer). */
void sha256_hmac_init(sha256_hmac_ctx *c, const void *key, size_t keylen) {
    unsigned char k0[SHA256_BLOCK] = {0};
    if (keylen > SHA256_BLOCK) {
        sha256_ctx kc;
        sha256_init(&kc);
        sha256_update(&kc, key, keylen);
        sha256_final(&kc, k0);
    } else if (keylen) {
        memcpy(k0, key, keylen);
    }
    unsigned char ikey[SHA256_BLOCK];
    for (int i = 0; i < SHA256_BLOCK; i++) {
        ikey[i] = k0[i] ^ 0x36;
        c->okey[i] = k0[i] ^ 0x5c;
    }
    sha256_init(&c->inner);
    sha256_update(&c->inner, ikey, sizeof ikey);
}

void sha256_hmac_update(sha256_hmac_ctx *c, const void *data, size_t n) {
    sha256_update(&c->inner, data, n);
}

void sha256_hmac_final(sha256_hmac_ctx *c, unsigned char out[SHA256_SIZE]) {
    unsigned char ih[SHA256_SIZE];
    sha256_final(&c->inner, ih);
    sha256_ctx outer;
    sha256_init(&outer);
    sha256_update(&outer, c->okey, sizeof c->okey);
    sha256_update(&outer, ih, sizeof ih);
    sha256_final(&outer, out);
}

int sha256_equal(const unsigned char *a, const unsigned char *b, size_t n) {
    unsigned char d = 0;
    for (size_t i = 0; i < n; i++) d |= a[i] ^ b[i];
    return d == 0;
}
