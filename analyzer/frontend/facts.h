/*
 * facts.h - what one translation unit says about the program, as plain data.
 *
 * The front end fills one `facts` record per TU and knows nothing of other
 * TUs; merge.c joins many records into a graph.  Because a record is plain
 * data (no libclang types), the same record can come from a worker thread,
 * a cache file or a shard file.
 *
 * Ids are final, program-wide strings computed from what the TU sees:
 *   extern function   "name"
 *   static function   "file:name"           (file of its definition)
 *   extern variable   "name"
 *   static variable   "file:name"
 *   function static   "file:function:name"
 *   struct field      "<variable id>.field"  (one level deep)
 * Files are relative to the project root, or absolute outside it.
 *
 * Memory: every string in a record points into the record's own pool and
 * lives until facts_free.
 */
#ifndef CLEAVE_FACTS_H
#define CLEAVE_FACTS_H

#include <stddef.h>
#include "util/common.h"
#include "util/strpool.h"

enum fact_linkage { LINK_EXTERN = 0, LINK_STATIC = 1 };
enum fact_gkind { GKIND_VARIABLE = 0, GKIND_STATIC_LOCAL = 1, GKIND_FIELD = 2 };
/* How the code touches a global; whether that changes state is decided
 * program-wide from these modes (graph/state.h). */
enum fact_mode { MODE_READ = 0, MODE_WRITE = 1, MODE_ADDRESS = 2 };
enum fact_unit_status { UNIT_OK = 0, UNIT_PARTIAL = 1, UNIT_FAILED = 2 };

/* How the targets of an indirect call are found at merge time. */
enum fact_via {
    VIA_FIELD = 0,   /* key: field key "struct tag::field" - functions stored there;
                        or a local's key (FACTS_LOCAL_KEY_SEP): the functions its own
                        function assigns it */
    VIA_GLOBAL = 1,  /* key: global variable id - functions assigned to it */
    VIA_TYPE = 2,    /* key: canonical function type - address-taken functions of it;
                        "ret:T" for a pointer without prototype: any returning T */
    VIA_UNKNOWN = 3  /* target set unknown: counted, never invented */
};

/* Where a function address (or a parameter value) is stored. */
enum fact_sink {
    SINK_NONE = 0,   /* address taken, stored nowhere we can name */
    SINK_FIELD = 1,  /* key: field key */
    SINK_GLOBAL = 2, /* key: global variable id */
    SINK_ARG = 3     /* key: callee function id, arg: argument index */
};

typedef struct fact_func {
    const char *id, *name;
    const char *file;   /* NULL when declared only in a system header */
    const char *type;   /* canonical function type, e.g. "int (int, char **)" */
    const char *ret;    /* canonical return type, e.g. "int" */
    int line, end_line; /* of the definition when defined, else a declaration */
    int loc;            /* lines holding code in the body (0 if not defined) */
    unsigned linkage;   /* enum fact_linkage */
    unsigned defined;   /* the body is in this TU */
} fact_func;

typedef struct fact_global {
    const char *id, *name;
    const char *file;
    const char *parent; /* field: the variable's id; static local: the function's id */
    int line;
    unsigned linkage, kind; /* enum fact_linkage, enum fact_gkind */
    unsigned defined;       /* defined (or tentatively defined) in this TU */
} fact_global;

typedef struct fact_call {
    const char *from;   /* caller id */
    const char *to;     /* callee id for a direct call, NULL for indirect */
    const char *key;    /* indirect: field key, global id or type */
    const char *file;
    int line, col;
    int loop_depth;
    unsigned indirect;  /* 0 direct, 1 indirect */
    unsigned via;       /* enum fact_via, indirect calls only */
    unsigned extra;     /* indirect: more targets of a site another record
                           (the type's may-call) counts: adds edges only */
} fact_call;

typedef struct fact_access {
    const char *function, *global, *file;
    int line, col;
    unsigned mode; /* enum fact_mode */
} fact_access;

/* Function `function` flows into a sink (address taken). */
typedef struct fact_store {
    const char *function;
    const char *key;   /* see enum fact_sink */
    const char *file;
    int line, arg;
    unsigned sink;
} fact_store;

/* Parameter `arg` of `function` flows into a sink: a field or global
 * (`void reg(handler h) { obj.cb = h; }` lets `reg(f)` mean obj.cb = f), or
 * argument `to_arg` of a direct call of `key` (SINK_ARG), which merge.c
 * follows through any number of such hand-offs. */
typedef struct fact_param {
    const char *function, *key;
    int arg, to_arg;
    unsigned sink; /* SINK_FIELD, SINK_GLOBAL or SINK_ARG */
} fact_param;

typedef struct facts {
    strpool *pool;
    const char *file;       /* the TU's main file */
    unsigned status;        /* enum fact_unit_status */
    strvec errors;          /* first errors, "file:line:col: message" */
    strvec includes;        /* every file the TU included */
    strvec headers;         /* project files (relative to the root) its main file
                               #includes itself, sorted: evidence of which
                               headers a file uses (a module's private header) */
    strvec defines;         /* the project's build macros (project.h) this unit
                               defines, sorted */
    strvec tests;           /* ... that its main file or a project header it
                               included tests, sorted: the unit's code depends
                               on the build it was read in */
    struct { fact_func *v; size_t n, cap; } funcs;
    struct { fact_global *v; size_t n, cap; } globals;
    struct { fact_call *v; size_t n, cap; } calls;
    struct { fact_access *v; size_t n, cap; } accesses;
    struct { fact_store *v; size_t n, cap; } stores;
    struct { fact_param *v; size_t n, cap; } params;
} facts;

/* A fresh, empty record for main file `file`; never fails. */
facts *facts_new(const char *file);
void facts_free(facts *f); /* NULL is a no-op */
/* Interns s in the record's pool. */
const char *facts_str(facts *f, const char *s);

/* A local's key is "<function id>" FACTS_LOCAL_KEY_SEP "<the variable's
 * USR>": one per function pointer held in a local or parameter; field
 * keys, global ids and types never hold the separator. */
#define FACTS_LOCAL_KEY_SEP '\x1f'
/* Whether key is a local's key; NULL is not.  Never fails. */
int facts_key_is_local(const char *key);

#endif
