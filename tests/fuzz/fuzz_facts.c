/*
 * fuzz_facts.c - the binary facts record (frontend/facts_io.c) that cache
 * entries, shard files and worker replies carry: the input is the payload
 * of an image (fuzz_image seals it), read as a sequence of records.  A
 * record it accepts must encode to bytes that decode to a record encoding
 * to the same bytes.
 */
#include "fuzz.h"

FUZZ_NO_SETUP

/* f encoded as a payload of its own. */
static facts_io_out encode(const facts *f) {
    facts_io_out o = {0};
    facts_io_begin(&o, FACTS_IO_CACHE);
    facts_io_put_facts(&o, f);
    facts_io_finish(&o, NULL);
    return o;
}

static void roundtrip(const facts *f) {
    facts_io_out a = encode(f);
    facts_io_in in;
    const char *why;
    FUZZ_CHECK(facts_io_open(&in, a.v, a.n, FACTS_IO_CACHE, NULL, &why) == 0);
    facts *g = facts_io_get_facts(&in);
    FUZZ_CHECK(g != NULL && facts_io_done(&in) == 0);
    facts_io_out b = encode(g);
    FUZZ_CHECK(a.n == b.n && memcmp(a.v, b.v, a.n) == 0);
    free(b.v);
    facts_free(g);
    free(a.v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    facts_io_out img;
    fuzz_image(&img, FACTS_IO_CACHE, data, size);
    facts_io_in in;
    const char *why;
    if (facts_io_open(&in, img.v, img.n, FACTS_IO_CACHE, NULL, &why) == 0) {
        while (!in.bad && in.off < in.n) {
            facts *f = facts_io_get_facts(&in);
            if (f) roundtrip(f);
            facts_free(f);
        }
    }
    free(img.v);
    return 0;
}
