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

#include "util/common.h"

#define JOUT_MAX_DEPTH 64

typedef struct jout {
    strbuf *b;
    int depth;
    unsigned char first[JOUT_MAX_DEPTH];  /* nothing written yet at this depth */
    unsigned char object[JOUT_MAX_DEPTH]; /* the container at this depth is an object */
} jout;

/* A writer appending to b (zero the jout first). */
jout jout_new(strbuf *b);

/* Containers, as a value (an array element, a member after jout_key, or
 * the document).  Every open has its end; at most JOUT_MAX_DEPTH deep. */
void jout_object(jout *w);
void jout_end_object(jout *w);
void jout_array(jout *w);
void jout_end_array(jout *w);

/* The next member of the open object; its value follows. */
void jout_key(jout *w, const char *key);

/* s as a JSON string, escaped as cJSON escapes it, appended to b (for
 * writers that lay out their own text). */
void jout_escaped(strbuf *b, const char *s);

/* Values.  s must not be NULL. */
void jout_string(jout *w, const char *s);
void jout_number(jout *w, double d);
void jout_bool(jout *w, int b);
void jout_null(jout *w);

/* Shorthands for a member: jout_key, then the value. */
void jout_kstring(jout *w, const char *key, const char *s);
void jout_knumber(jout *w, const char *key, double d);

#endif
