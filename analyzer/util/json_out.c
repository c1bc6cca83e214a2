/*
 * json_out.c - the direct JSON writer of json_out.h.  Each rule below is
 * cJSON 1.7's print_object, print_array, print_number and
 * print_string_ptr with format on, so a document written here is
 * byte-identical to cJSON_Print of the same tree.
 *
 * Memory: appends to the caller's strbuf; json_out_print returns a fresh
 * string.
 */
#include "util/json_out.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_out json_out_new(strbuf *b) {
    json_out w;
    memset(&w, 0, sizeof w);
    w.b = b;
    return w;
}

static void tabs(json_out *w, int n) {
    VEC_RESERVE(*w->b, w->b->n + (size_t)n + 1);
    for (int i = 0; i < n; i++) w->b->v[w->b->n++] = '\t';
    w->b->v[w->b->n] = '\0';
}

/* Before a value: ", " between array elements (an object member's
 * separator came with its key). */
static void before_value(json_out *w) {
    if (w->depth == 0 || w->object[w->depth]) return;
    if (!w->first[w->depth]) strbuf_addn(w->b, ", ", 2);
    w->first[w->depth] = 0;
}

static void open(json_out *w, int object) {
    before_value(w);
    strbuf_addn(w->b, object ? "{\n" : "[", object ? 2 : 1);
    w->depth++;
    w->first[w->depth] = 1;
    w->object[w->depth] = (unsigned char)object;
}

void json_out_object(json_out *w) {
    open(w, 1);
}

void json_out_array(json_out *w) {
    open(w, 0);
}

void json_out_end_object(json_out *w) {
    if (!w->first[w->depth]) strbuf_addn(w->b, "\n", 1);
    tabs(w, w->depth - 1);
    strbuf_addn(w->b, "}", 1);
    w->depth--;
}

void json_out_end_array(json_out *w) {
    strbuf_addn(w->b, "]", 1);
    w->depth--;
}

static const char HEX[] = "0123456789abcdef";

/* The escape of a byte that is not part of well-formed UTF-8: the code
 * point of the same value, as if the byte were Latin-1 (docs/graph-json.md). */
static void latin1(strbuf *b, unsigned char c) {
    char e[6] = {'\\', 'u', '0', '0', HEX[c >> 4], HEX[c & 15]};
    strbuf_addn(b, e, 6);
}

/* A string as cJSON prints one: ", \ and control characters escaped (\b
 * \f \n \r \t, others as \u00xx), every other byte as it is -- but for
 * bytes that are not well-formed UTF-8, which cJSON would copy and which
 * would make the document invalid: they become \u00xx (latin1 above). */
void json_out_escaped(strbuf *b, const char *s) {
    strbuf_addn(b, "\"", 1);
    const char *run = s;
    for (;; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 32 && c < 0x80 && c != '"' && c != '\\') continue;
        if (c >= 0x80) {
            size_t n = utf8_seq_len(s);
            if (n) {
                s += n - 1;
                continue;
            }
            strbuf_addn(b, run, (size_t)(s - run));
            latin1(b, c);
            run = s + 1;
            continue;
        }
        strbuf_addn(b, run, (size_t)(s - run));
        if (!c) break;
        char e[6] = {'\\', 0, 0, 0, 0, 0};
        size_t n = 2;
        switch (c) {
        case '"': e[1] = '"'; break;
        case '\\': e[1] = '\\'; break;
        case '\b': e[1] = 'b'; break;
        case '\f': e[1] = 'f'; break;
        case '\n': e[1] = 'n'; break;
        case '\r': e[1] = 'r'; break;
        case '\t': e[1] = 't'; break;
        default:
            memcpy(e + 1, "u00", 3);
            e[4] = HEX[c >> 4];
            e[5] = HEX[c & 15];
            n = 6;
        }
        strbuf_addn(b, e, n);
        run = s + 1;
    }
    strbuf_addn(b, "\"", 1);
}

void json_out_key(json_out *w, const char *key) {
    if (!w->first[w->depth]) strbuf_addn(w->b, ",\n", 2);
    w->first[w->depth] = 0;
    tabs(w, w->depth);
    json_out_escaped(w->b, key);
    strbuf_addn(w->b, ":\t", 2);
}

void json_out_string(json_out *w, const char *s) {
    before_value(w);
    json_out_escaped(w->b, s);
}

/* cJSON's check that "%1.15g" reads back as the same double. */
static int same(double a, double b) {
    double max = fabs(a) > fabs(b) ? fabs(a) : fabs(b);
    return fabs(a - b) <= max * DBL_EPSILON;
}

void json_out_number(json_out *w, double d) {
    char buf[32];
    before_value(w);
    if (isnan(d) || isinf(d)) {
        strbuf_addn(w->b, "null", 4);
        return;
    }
    if (d == floor(d) && fabs(d) < 1e15 && !(d == 0 && signbit(d))) {
        /* what "%1.15g" prints for a whole number of at most 15 digits,
         * without the read-back */
        snprintf(buf, sizeof buf, "%lld", (long long)d);
    } else {
        double back;
        snprintf(buf, sizeof buf, "%1.15g", d);
        if (sscanf(buf, "%lg", &back) != 1 || !same(back, d)) snprintf(buf, sizeof buf, "%1.17g", d);
    }
    strbuf_add(w->b, buf);
}

void json_out_bool(json_out *w, int b) {
    before_value(w);
    strbuf_add(w->b, b ? "true" : "false");
}

void json_out_null(json_out *w) {
    before_value(w);
    strbuf_addn(w->b, "null", 4);
}

void json_out_kstring(json_out *w, const char *key, const char *s) {
    json_out_key(w, key);
    json_out_string(w, s);
}

void json_out_knumber(json_out *w, const char *key, double d) {
    json_out_key(w, key);
    json_out_number(w, d);
}

char *json_out_print(const cJSON *item, int formatted) {
    char *text = formatted ? cJSON_Print(item) : cJSON_PrintUnformatted(item);
    if (!text) {
        fputs("cleave: out of memory\n", stderr);
        exit(CLEAVE_EXIT_INTERNAL);
    }
    /* outside strings cJSON writes ASCII only, so every byte of a
     * malformed sequence is inside a string, where \u00xx is valid */
    const char *s = text;
    while (*s && ((unsigned char)*s < 0x80 || utf8_seq_len(s))) s += utf8_seq_len(s);
    if (!*s) return text;
    strbuf b = {0};
    strbuf_addn(&b, text, (size_t)(s - text));
    while (*s) {
        size_t n = utf8_seq_len(s);
        if (n) {
            strbuf_addn(&b, s, n);
            s += n;
        } else {
            latin1(&b, (unsigned char)*s++);
        }
    }
    free(text);
    return b.v;
}
