/*
 * jsonpos.c - a JSON pull reader that knows where it is, and the position
 * look-ups built on it (jsonpos.h).
 *
 * The reader is a recursive-descent parser over the raw text that consumes
 * one value per call and builds nothing: the only memory it holds is the
 * scratch buffer of the last decoded string.  It accepts exactly RFC 8259
 * JSON (no comments, no trailing commas), nested at most JSONPOS_DEPTH
 * deep, like cJSON's own limit, so that skipping a hostile file cannot
 * exhaust the stack.
 */
#include "util/jsonpos.h"

#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSONPOS_DEPTH 1000

static int fail(jsonpos_reader *r, size_t at, const char *msg) {
    if (!r->error) {
        r->error = msg;
        r->error_at = at;
    }
    return -1;
}

static void skipws(jsonpos_reader *r) {
    while (r->pos < r->len) {
        char c = r->text[r->pos];
        if (c != ' ' && c != '\n' && c != '\t' && c != '\r') break;
        r->pos++;
    }
}

void jsonpos_reader_init(jsonpos_reader *r, const char *text, size_t len) {
    memset(r, 0, sizeof *r);
    r->text = text;
    r->len = len;
}

void jsonpos_reader_free(jsonpos_reader *r) {
    free(r->str.v);
    r->str.v = NULL;
    r->str.n = r->str.cap = 0;
}

jsonpos_type jsonpos_peek(jsonpos_reader *r) {
    if (r->error) return JSONPOS_BAD;
    skipws(r);
    if (r->pos >= r->len) {
        fail(r, r->pos, "malformed JSON: unexpected end of input");
        return JSONPOS_BAD;
    }
    switch (r->text[r->pos]) {
    case '{': return JSONPOS_OBJECT;
    case '[': return JSONPOS_ARRAY;
    case '"': return JSONPOS_STRING;
    case 't': return JSONPOS_TRUE;
    case 'f': return JSONPOS_FALSE;
    case 'n': return JSONPOS_NULL;
    case '-': return JSONPOS_NUMBER;
    default:
        if (r->text[r->pos] >= '0' && r->text[r->pos] <= '9') return JSONPOS_NUMBER;
        fail(r, r->pos, "malformed JSON: expected a value");
        return JSONPOS_BAD;
    }
}

/* Consumes `c` (after white space), or fails with msg. */
static int expect(jsonpos_reader *r, char c, const char *msg) {
    skipws(r);
    if (r->pos < r->len && r->text[r->pos] == c) {
        r->pos++;
        return 0;
    }
    return fail(r, r->pos, r->pos < r->len ? msg : "malformed JSON: unexpected end of input");
}

/* Enters the container of type `want` that comes next. */
static int enter(jsonpos_reader *r, jsonpos_type want, const char *msg) {
    jsonpos_type t = jsonpos_peek(r);
    if (t != want) return t == JSONPOS_BAD ? -1 : fail(r, r->pos, msg);
    r->pos++;
    r->first = 1;
    return 0;
}

int jsonpos_object(jsonpos_reader *r) {
    return enter(r, JSONPOS_OBJECT, "expected an object");
}

int jsonpos_array(jsonpos_reader *r) {
    return enter(r, JSONPOS_ARRAY, "expected an array");
}

/* Before the next item of a container closed by `close`: 1 when an item
 * follows, 0 when the container ended (the bracket is consumed).  After
 * any item the enclosing container is never at its first item again. */
static int nextitem(jsonpos_reader *r, char close, const char *msg) {
    if (r->error) return -1;
    skipws(r);
    if (r->pos >= r->len) return fail(r, r->pos, "malformed JSON: unexpected end of input");
    char c = r->text[r->pos];
    if (c == close) {
        r->pos++;
        r->first = 0;
        return 0;
    }
    if (!r->first) {
        if (c != ',') return fail(r, r->pos, msg);
        r->pos++;
    }
    r->first = 0;
    return 1;
}

static int hexval(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* The 4 hex digits at p (bounds checked by the caller); -1 if not hex. */
static long hex4(const char *p) {
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval(p[i]);
        if (h < 0) return -1;
        v = v * 16 + h;
    }
    return v;
}

static void utf8(strbuf *b, unsigned long cp) {
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    strbuf_addn(b, u, n);
}

/*
 * The escape sequence at r->pos (just after the backslash): appends what
 * it stands for to out (when out is not NULL) and moves past it.
 */
static int escape(jsonpos_reader *r, strbuf *out) {
    size_t at = r->pos - 1;
    if (r->pos >= r->len) return fail(r, r->pos, "malformed JSON: unterminated string");
    char c = r->text[r->pos++], lit;
    switch (c) {
    case '"': lit = '"'; break;
    case '\\': lit = '\\'; break;
    case '/': lit = '/'; break;
    case 'b': lit = '\b'; break;
    case 'f': lit = '\f'; break;
    case 'n': lit = '\n'; break;
    case 'r': lit = '\r'; break;
    case 't': lit = '\t'; break;
    case 'u': {
        long cp = r->pos + 4 <= r->len ? hex4(r->text + r->pos) : -1;
        if (cp < 0) return fail(r, at, "malformed JSON: bad \\u escape");
        r->pos += 4;
        if (cp >= 0xDC00 && cp <= 0xDFFF) return fail(r, at, "malformed JSON: lone UTF-16 surrogate");
        if (cp >= 0xD800 && cp <= 0xDBFF) {
            long lo = r->pos + 6 <= r->len && r->text[r->pos] == '\\' && r->text[r->pos + 1] == 'u'
                          ? hex4(r->text + r->pos + 2)
                          : -1;
            if (lo < 0xDC00 || lo > 0xDFFF) return fail(r, at, "malformed JSON: lone UTF-16 surrogate");
            r->pos += 6;
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        if (cp == 0) return fail(r, at, "string holds \\u0000, which cleave cannot represent");
        if (out) utf8(out, (unsigned long)cp);
        return 0;
    }
    default:
        return fail(r, at, "malformed JSON: bad escape in string");
    }
    if (out) strbuf_addn(out, &lit, 1);
    return 0;
}

/* The end of the run of plain string bytes at pos: the first '"', '\\' or
 * control character, or len; *high is set when a byte of the run is not
 * ASCII (or, in the word loop, when the word that ends it has one).  Eight
 * bytes at a time where the byte order allows: in each test below the
 * lowest flagged byte is a true one (a false flag can only sit above a
 * true one), so the lowest of all three is the first byte that ends the
 * run. */
static size_t plainrun(const char *t, size_t pos, size_t len, int *high) {
    uint64_t seen = 0;
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && defined(__GNUC__)
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    while (pos + 8 <= len) {
        uint64_t w, q, b;
        memcpy(&w, t + pos, 8);
        seen |= w;
        q = w ^ (ones * '"');
        b = w ^ (ones * '\\');
        uint64_t hit = (((q - ones) & ~q) | ((b - ones) & ~b) | ((w - ones * 0x20) & ~w)) & highs;
        if (hit) {
            *high = (seen & highs) != 0;
            return pos + (size_t)__builtin_ctzll(hit) / 8;
        }
        pos += 8;
    }
#endif
    while (pos < len) {
        unsigned char c = (unsigned char)t[pos];
        if (c == '"' || c == '\\' || c < 0x20) break;
        seen |= c;
        pos++;
    }
    *high = (seen & 0x8080808080808080ULL) != 0;
    return pos;
}

/* The offset of the first byte of t[from..to) that is not part of
 * well-formed UTF-8, or to.  t[to] must be a byte of the text that is no
 * continuation byte (the '"', '\\' or control character ending a run), so
 * that a sequence cut short stops there. */
static size_t notutf8(const char *t, size_t from, size_t to) {
    while (from < to) {
        if ((unsigned char)t[from] < 0x80) {
            from++;
            continue;
        }
        size_t n = utf8_seq_len(t + from);
        if (n == 0 || from + n > to) return from;
        from += n;
    }
    return to;
}

/* The string at r->pos (the opening quote), decoded into out unless out is
 * NULL (skipping). */
static int readstring(jsonpos_reader *r, strbuf *out) {
    size_t start = r->pos;
    r->pos++;
    for (;;) {
        size_t run = r->pos;
        int high;
        r->pos = plainrun(r->text, r->pos, r->len, &high);
        if (r->pos >= r->len) return fail(r, start, "malformed JSON: unterminated string");
        /* RFC 8259 text is UTF-8; what cleave writes always is (json_out.c),
         * and a name taken in any other bytes would not read back the same */
        size_t bad = high ? notutf8(r->text, run, r->pos) : r->pos;
        if (bad < r->pos) return fail(r, bad, "malformed JSON: a string that is not UTF-8");
        if (out && r->pos > run) strbuf_addn(out, r->text + run, r->pos - run);
        char c = r->text[r->pos++];
        if (c == '"') return 0;
        if (c != '\\') return fail(r, r->pos - 1, "malformed JSON: control character in string");
        if (escape(r, out) != 0) return -1;
    }
}

static int decodestring(jsonpos_reader *r) {
    r->str.n = 0;
    strbuf_addn(&r->str, "", 0); /* a valid empty string even for "" */
    return readstring(r, &r->str);
}

int jsonpos_member(jsonpos_reader *r, const char **key, size_t *keylen) {
    int more = nextitem(r, '}', "malformed JSON: expected ',' or '}'");
    if (more != 1) return more;
    skipws(r);
    if (r->pos >= r->len || r->text[r->pos] != '"')
        return fail(r, r->pos, "malformed JSON: expected a string key");
    if (decodestring(r) != 0) return -1;
    if (expect(r, ':', "malformed JSON: expected ':'") != 0) return -1;
    *key = r->str.v;
    *keylen = r->str.n;
    return 1;
}

int jsonpos_element(jsonpos_reader *r) {
    return nextitem(r, ']', "malformed JSON: expected ',' or ']'");
}

int jsonpos_string(jsonpos_reader *r, const char **s, size_t *n) {
    jsonpos_type t = jsonpos_peek(r);
    if (t != JSONPOS_STRING) return t == JSONPOS_BAD ? -1 : fail(r, r->pos, "expected a string");
    if (decodestring(r) != 0) return -1;
    *s = r->str.v;
    *n = r->str.n;
    return 0;
}

/* Moves past the number at r->pos (JSON grammar); *integral tells whether
 * it had neither fraction nor exponent. */
static int scannumber(jsonpos_reader *r, int *integral) {
    size_t start = r->pos, i = r->pos;
    const char *t = r->text;
    *integral = 1;
    if (i < r->len && t[i] == '-') i++;
    if (i < r->len && t[i] == '0') {
        i++;
    } else if (i < r->len && t[i] >= '1' && t[i] <= '9') {
        while (i < r->len && t[i] >= '0' && t[i] <= '9') i++;
    } else {
        return fail(r, start, "malformed JSON: bad number");
    }
    if (i < r->len && t[i] == '.') {
        *integral = 0;
        size_t d = ++i;
        while (i < r->len && t[i] >= '0' && t[i] <= '9') i++;
        if (i == d) return fail(r, start, "malformed JSON: bad number");
    }
    int exp = 0;
    if (i < r->len && (t[i] == 'e' || t[i] == 'E')) {
        *integral = 0;
        exp = 1;
        i++;
        if (i < r->len && (t[i] == '+' || t[i] == '-')) i++;
        size_t d = i;
        while (i < r->len && t[i] >= '0' && t[i] <= '9') i++;
        if (i == d) return fail(r, start, "malformed JSON: bad number");
    }
    /* 1e999 is well-formed JSON but no double: a reader would see infinity.
     * Only an exponent or some 300 digits can get there; strtod decides. */
    if (exp || i - start > 300) {
        char *copy = xstrndup(t + start, i - start);
        int finite = isfinite(strtod(copy, NULL));
        free(copy);
        if (!finite) return fail(r, start, "number out of range");
    }
    r->pos = i;
    return 0;
}

int jsonpos_number(jsonpos_reader *r, double *v) {
    jsonpos_type t = jsonpos_peek(r);
    if (t != JSONPOS_NUMBER) return t == JSONPOS_BAD ? -1 : fail(r, r->pos, "expected a number");
    size_t start = r->pos;
    int integral;
    if (scannumber(r, &integral) != 0) return -1;
    /* strtod needs a terminated copy; the grammar was checked above */
    char *copy = xstrndup(r->text + start, r->pos - start);
    *v = strtod(copy, NULL);
    free(copy);
    return 0;
}

int jsonpos_int(jsonpos_reader *r, long long lo, long long hi, long long *v) {
    jsonpos_type t = jsonpos_peek(r);
    if (t != JSONPOS_NUMBER) return t == JSONPOS_BAD ? -1 : fail(r, r->pos, "expected an integer");
    size_t start = r->pos;
    int integral;
    if (scannumber(r, &integral) != 0) return -1;
    if (!integral) return fail(r, start, "expected an integer");
    const char *p = r->text + start, *end = r->text + r->pos;
    int neg = *p == '-';
    if (neg) p++;
    /* accumulate as a negative number: its range is the larger one */
    long long acc = 0;
    for (; p < end; p++) {
        int d = *p - '0';
        if (acc < (LLONG_MIN + d) / 10) return fail(r, start, "integer out of range");
        acc = acc * 10 - d;
    }
    if (!neg && acc == LLONG_MIN) return fail(r, start, "integer out of range");
    long long val = neg ? acc : -acc;
    if (val < lo || val > hi) return fail(r, start, "integer out of range");
    *v = val;
    return 0;
}

/* Consumes the literal word (true, false, null). */
static int word(jsonpos_reader *r, const char *w) {
    size_t n = strlen(w);
    if (r->len - r->pos < n || memcmp(r->text + r->pos, w, n) != 0)
        return fail(r, r->pos, "malformed JSON: expected a value");
    r->pos += n;
    return 0;
}

int jsonpos_bool(jsonpos_reader *r, int *v) {
    jsonpos_type t = jsonpos_peek(r);
    if (t == JSONPOS_TRUE || t == JSONPOS_FALSE) {
        *v = t == JSONPOS_TRUE;
        return word(r, *v ? "true" : "false");
    }
    return t == JSONPOS_BAD ? -1 : fail(r, r->pos, "expected true or false");
}

int jsonpos_null(jsonpos_reader *r) {
    jsonpos_type t = jsonpos_peek(r);
    if (t == JSONPOS_NULL) return word(r, "null");
    return t == JSONPOS_BAD ? -1 : fail(r, r->pos, "expected null");
}

static int skip(jsonpos_reader *r, int depth) {
    int integral, more;
    switch (jsonpos_peek(r)) {
    case JSONPOS_OBJECT:
    case JSONPOS_ARRAY: {
        int obj = r->text[r->pos] == '{';
        if (depth >= JSONPOS_DEPTH) return fail(r, r->pos, "malformed JSON: nested too deeply");
        r->pos++;
        r->first = 1;
        for (;;) {
            if (obj) {
                more = nextitem(r, '}', "malformed JSON: expected ',' or '}'");
                if (more == 1) {
                    skipws(r);
                    if (r->pos >= r->len || r->text[r->pos] != '"')
                        return fail(r, r->pos, "malformed JSON: expected a string key");
                    if (readstring(r, NULL) != 0 || expect(r, ':', "malformed JSON: expected ':'") != 0)
                        return -1;
                }
            } else {
                more = nextitem(r, ']', "malformed JSON: expected ',' or ']'");
            }
            if (more != 1) return more;
            if (skip(r, depth + 1) != 0) return -1;
        }
    }
    case JSONPOS_STRING: return readstring(r, NULL);
    case JSONPOS_NUMBER: return scannumber(r, &integral);
    case JSONPOS_TRUE: return word(r, "true");
    case JSONPOS_FALSE: return word(r, "false");
    case JSONPOS_NULL: return word(r, "null");
    default: return -1;
    }
}

int jsonpos_skip(jsonpos_reader *r) {
    return skip(r, 0);
}

int jsonpos_finish(jsonpos_reader *r) {
    if (r->error) return -1;
    skipws(r);
    if (r->pos < r->len) return fail(r, r->pos, "malformed JSON: text after the end of the document");
    return 0;
}

/* ---- look-ups ------------------------------------------------------------ */

/* Does the pointer segment seg[0..n) (with ~0 and ~1 escapes) name key? */
static int segeq(const char *seg, size_t n, const char *key, size_t keylen) {
    size_t k = 0;
    for (size_t i = 0; i < n; i++, k++) {
        char c = seg[i];
        if (c == '~' && i + 1 < n && (seg[i + 1] == '0' || seg[i + 1] == '1')) c = seg[++i] == '0' ? '~' : '/';
        if (k >= keylen || key[k] != c) return 0;
    }
    return k == keylen;
}

/* Array index of a pointer segment: decimal without leading zeros, or -1. */
static long long segindex(const char *seg, size_t n) {
    if (n == 0 || n > 18 || (n > 1 && seg[0] == '0')) return -1;
    long long v = 0;
    for (size_t i = 0; i < n; i++) {
        if (seg[i] < '0' || seg[i] > '9') return -1;
        v = v * 10 + (seg[i] - '0');
    }
    return v;
}

int jsonpos_find(const char *text, size_t len, const char *pointer, size_t *off) {
    jsonpos_reader r;
    jsonpos_reader_init(&r, text, len);
    int rc = -1;
    jsonpos_type t = jsonpos_peek(&r);
    *off = r.pos;
    if (t == JSONPOS_BAD) goto cleanup;
    const char *p = pointer;
    while (*p) {
        if (*p != '/') goto cleanup;
        const char *seg = p + 1, *end = strchr(seg, '/');
        if (!end) end = seg + strlen(seg);
        size_t n = (size_t)(end - seg);
        int found = 0;
        if (t == JSONPOS_OBJECT) {
            const char *key;
            size_t keylen;
            jsonpos_object(&r);
            while (!found && jsonpos_member(&r, &key, &keylen) == 1) {
                if (segeq(seg, n, key, keylen)) found = 1;
                else if (jsonpos_skip(&r) != 0) break;
            }
        } else if (t == JSONPOS_ARRAY) {
            long long want = segindex(seg, n);
            jsonpos_array(&r);
            for (long long i = 0; !found && want >= 0 && jsonpos_element(&r) == 1; i++) {
                if (i == want) found = 1;
                else if (jsonpos_skip(&r) != 0) break;
            }
        }
        if (!found) goto cleanup;
        t = jsonpos_peek(&r);
        if (t == JSONPOS_BAD) goto cleanup;
        *off = r.pos;
        p = end;
    }
    rc = 0;
cleanup:
    jsonpos_reader_free(&r);
    return rc;
}

char *jsonpos_verror_at(const char *file, const char *text, size_t off, const char *fmt,
                        va_list ap) {
    int line, col;
    text_position(text, off, &line, &col);
    va_list again;
    va_copy(again, ap);
    char small[256];
    int n = vsnprintf(small, sizeof small, fmt, ap);
    char *msg = NULL;
    if (n >= (int)sizeof small) {
        msg = xmalloc((size_t)n + 1);
        vsnprintf(msg, (size_t)n + 1, fmt, again);
    }
    va_end(again);
    char *out = xasprintf("%s:%d:%d: %s", file, line, col, msg ? msg : n < 0 ? "" : small);
    free(msg);
    return out;
}

char *jsonpos_error_at(const char *file, const char *text, size_t off, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *out = jsonpos_verror_at(file, text, off, fmt, ap);
    va_end(ap);
    return out;
}

char *jsonpos_error(const char *file, const char *text, size_t len, const char *pointer,
                    const char *fmt, ...) {
    size_t off;
    jsonpos_find(text, len, pointer, &off);
    va_list ap;
    va_start(ap, fmt);
    char *out = jsonpos_verror_at(file, text, off, fmt, ap);
    va_end(ap);
    return out;
}

cJSON *jsonpos_parse(const char *file, const char *text, size_t len, char **err) {
    /* The strict reader first: cJSON alone takes numbers JSON does not
     * have (01, 1., -.5, 1.e5), and 1e999 as infinity.  Both skip a UTF-8
     * byte order mark. */
    size_t bom = len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    jsonpos_reader r;
    jsonpos_reader_init(&r, text + bom, len - bom);
    size_t off = 0;
    const char *msg = NULL;
    if (jsonpos_skip(&r) != 0 || jsonpos_finish(&r) != 0) {
        off = bom + r.error_at;
        msg = r.error;
    }
    jsonpos_reader_free(&r);
    cJSON *json = NULL;
    if (!msg) {
        const char *end = NULL;
        json = cJSON_ParseWithOpts(text, &end, 1);
        /* what the reader accepts and cJSON not: only its own limits */
        if (!json) {
            off = end ? (size_t)(end - text) : 0;
            msg = "malformed JSON";
        }
    }
    if (msg) {
        int line, col;
        text_position(text, off, &line, &col);
        *err = xasprintf("%s:%d:%d: %s", file, line, col, msg);
    }
    return json;
}
