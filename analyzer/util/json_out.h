/*
 * json_out.h - JSON text written straight into a strbuf, in the very bytes
 * cJSON_Print (cJSON 1.7) gives for the same tree: objects one member a
 * line indented with tabs ("key":<tab>value), arrays on one line with ", "
 * between elements, numbers as "%1.15g" unless that does not read back,
 * strings escaped as cJSON escapes them.  For documents too big to build
 * as a cJSON tree first (a plan of a million functions).
 *
 * Memory: the writer only appends to the caller's strbuf.
 */
#ifndef CLEAVE_JSON_OUT_H
#define CLEAVE_JSON_OUT_H

#include <cjson/cJSON.h>

#include "util/common.h"

#define JOUT_MAX_DEPTH 64

typedef struct json_out {
    strbuf *b;
    int depth;
    unsigned char first[JOUT_MAX_DEPTH];  /* nothing written yet at this depth */
    unsigned char object[JOUT_MAX_DEPTH]; /* the container at this depth is an object */
} json_out;

/* A writer appending to b (zero the json_out first). */
json_out json_out_new(strbuf *b);

/* Containers, as a value (an array element, a member after json_out_key, or
 * the document).  Every open has its end; at most JOUT_MAX_DEPTH deep. */
void json_out_object(json_out *w);
void json_out_end_object(json_out *w);
void json_out_array(json_out *w);
void json_out_end_array(json_out *w);

/* The next member of the open object; its value follows. */
void json_out_key(json_out *w, const char *key);

/* s as a JSON string, escaped as cJSON escapes it, appended to b (for
 * writers that lay out their own text).  Bytes that are not well-formed
 * UTF-8 (a file name in another encoding) are written as \u00xx, the code
 * point of the same value, so the output is always valid JSON. */
void json_out_escaped(strbuf *b, const char *s);

/* cJSON_Print (formatted) or cJSON_PrintUnformatted of item, with bytes
 * that are not well-formed UTF-8 escaped as json_out_escaped does: every
 * JSON text cleave makes with cJSON is printed through here.  Exits (4)
 * when memory runs out; the caller frees the result. */
char *json_out_print(const cJSON *item, int formatted);

/* Values.  s must not be NULL. */
void json_out_string(json_out *w, const char *s);
void json_out_number(json_out *w, double d);
void json_out_bool(json_out *w, int b);
void json_out_null(json_out *w);

/* Shorthands for a member: json_out_key, then the value. */
void json_out_kstring(json_out *w, const char *key, const char *s);
void json_out_knumber(json_out *w, const char *key, double d);

#endif
