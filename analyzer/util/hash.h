/*
 * hash.h - a fast, non-cryptographic 64-bit hash (the XXH64 algorithm,
 * implemented here) for content fingerprints and checksums: cache keys,
 * the content hashes that decide whether a cached TU is still valid, and
 * the checksum of a facts file.  It detects change and corruption, not
 * tampering.  Same input, same value on every platform (byte order fixed).
 */
#ifndef CLEAVE_HASH_H
#define CLEAVE_HASH_H

#include <stddef.h>
#include <stdint.h>

/* XXH64 of data[0..len) with seed; never fails. */
uint64_t hash_bytes(const void *data, size_t len, uint64_t seed);

/* Writes h as 16 lowercase hex digits and a NUL into out[17]. */
void hash_hex(uint64_t h, char out[17]);

#endif
