/*
 * test_sha256.c - unit tests of analyzer/util/sha256.c: SHA-256 against the
 * examples of FIPS 180 (one block, two blocks, a million 'a's, empty), HMAC-
 * SHA-256 against the seven test cases of RFC 4231, streaming in pieces of
 * every size against one update, and the tag comparison.
 */
#include <stdio.h>
#include <string.h>

#include "util/sha256.h"
#include "test.h"

static void hex(const unsigned char *d, size_t n, char *out) {
    for (size_t i = 0; i < n; i++) snprintf(out + 2 * i, 3, "%02x", d[i]);
}

static void checksha(const void *data, size_t n, const char *want) {
    sha256_ctx c;
    unsigned char d[SHA256_SIZE];
    char h[2 * SHA256_SIZE + 1];
    sha256_init(&c);
    sha256_update(&c, data, n);
    sha256_final(&c, d);
    hex(d, sizeof d, h);
    CHECK_STR(h, want);
}

static void test_fips180(void) {
    checksha("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    checksha(two, strlen(two), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    checksha("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    static char million[1000000];
    memset(million, 'a', sizeof million);
    checksha(million, sizeof million,
             "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

static void checkhmac(const void *key, size_t kn, const void *data, size_t dn, const char *want) {
    sha256_hmac_ctx c;
    unsigned char d[SHA256_SIZE];
    char h[2 * SHA256_SIZE + 1];
    sha256_hmac_init(&c, key, kn);
    sha256_hmac_update(&c, data, dn);
    sha256_hmac_final(&c, d);
    hex(d, sizeof d, h);
    /* test case 5 gives only the first 128 bits */
    CHECK(strncmp(h, want, strlen(want)) == 0);
}

static void test_rfc4231(void) {
    unsigned char k[131], d[50];
    memset(k, 0x0b, 20);
    checkhmac(k, 20, "Hi There", 8,
              "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    checkhmac("Jefe", 4, "what do ya want for nothing?", 28,
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    memset(k, 0xaa, 20);
    memset(d, 0xdd, 50);
    checkhmac(k, 20, d, 50, "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
    for (int i = 0; i < 25; i++) k[i] = (unsigned char)(i + 1);
    memset(d, 0xcd, 50);
    checkhmac(k, 25, d, 50, "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
    memset(k, 0x0c, 20);
    checkhmac(k, 20, "Test With Truncation", 20, "a3b6167473100ee06e0c796c2955552b");
    memset(k, 0xaa, 131);
    const char *m6 = "Test Using Larger Than Block-Size Key - Hash Key First";
    checkhmac(k, 131, m6, strlen(m6),
              "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    const char *m7 = "This is a test using a larger than block-size key and a larger than "
                     "block-size data. The key needs to be hashed before being used by the HMAC "
                     "algorithm.";
    checkhmac(k, 131, m7, strlen(m7),
              "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
}

/* Any split of the input into updates gives the one-update digest. */
static void test_streaming(void) {
    unsigned char data[300], whole[SHA256_SIZE], part[SHA256_SIZE];
    for (size_t i = 0; i < sizeof data; i++) data[i] = (unsigned char)(i * 7 + 3);
    sha256_ctx c;
    sha256_init(&c);
    sha256_update(&c, data, sizeof data);
    sha256_final(&c, whole);
    for (size_t step = 1; step <= 130; step++) {
        sha256_init(&c);
        for (size_t at = 0; at < sizeof data; at += step)
            sha256_update(&c, data + at, sizeof data - at < step ? sizeof data - at : step);
        sha256_final(&c, part);
        CHECK_MEM(part, whole, SHA256_SIZE);
    }
}

static void test_equal(void) {
    unsigned char a[SHA256_SIZE] = {0}, b[SHA256_SIZE] = {0};
    CHECK(sha256_equal(a, b, sizeof a));
    b[31] = 1;
    CHECK(!sha256_equal(a, b, sizeof a));
    b[31] = 0;
    b[0] = 0x80;
    CHECK(!sha256_equal(a, b, sizeof a));
}

static const test_case cases[] = {
    {"fips180", test_fips180},
    {"rfc4231", test_rfc4231},
    {"streaming", test_streaming},
    {"equal", test_equal},
};

int main(int argc, char **argv) {
    return test_main(argc, argv, cases, TEST_COUNT(cases));
}
