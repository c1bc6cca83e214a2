/*
 * config.h - cleave.json, the configuration shared by `cleave plan`
 * (constraints and defaults), `cleave check` (rules, severities) and the
 * fitness report (thresholds, cost model); docs/config.md documents the
 * file and docs/cleave.schema.json is its JSON Schema.
 *
 * The struct mirrors the file's sections and holds plain data that callers
 * read directly.  Every field has a value: what the file leaves out keeps
 * the default of config_default().  A loaded config has passed every check
 * in docs/config.md (names non-empty, no function pinned to two services,
 * no group both kept together and apart, prices not negative...), so
 * callers need not validate it again; what needs the graph or a plan (does
 * a pinned function exist?) is left to them.
 *
 * Memory: a config owns all its strings and arrays; config_free releases
 * everything.
 */
#ifndef CLEAVE_CONFIG_H
#define CLEAVE_CONFIG_H

#include <stddef.h>
#include "util/common.h"
#include "plan/plan.h"

/* The file `cleave plan` and `cleave check` look for in the project root. */
#define CONFIG_FILE_NAME "cleave.json"

/* Finding ids of `cleave check`, in the order of docs/config.md. */
enum config_rule {
    CONFIG_RULE_CROSS_BOUNDARY_CALL,
    CONFIG_RULE_NEW_INTERFACE,
    CONFIG_RULE_SHARED_STATE_WRITE,
    CONFIG_RULE_SERVICE_CYCLE,
    CONFIG_RULE_FORBIDDEN_DEPENDENCY,
    CONFIG_RULE_LAYER_VIOLATION,
    CONFIG_RULE_INDEPENDENCE_VIOLATION,
    CONFIG_RULE_MOVED_FUNCTION,
    CONFIG_RULE_UNPLACED_FUNCTION,
    CONFIG_RULE_STALE_PLAN_FUNCTION,
    CONFIG_RULE_COUNT
};

enum config_severity { CONFIG_SEV_INFO, CONFIG_SEV_WARNING, CONFIG_SEV_ERROR };

/* Bits of config_cost.set: which cost parameters the file gave. */
enum {
    CONFIG_COST_SERVICE_PER_HOUR = 1u << 0,
    CONFIG_COST_PER_INVOCATION = 1u << 1,
    CONFIG_COST_PER_GB_SECOND = 1u << 2,
    CONFIG_COST_MEMORY_MB = 1u << 3,
    CONFIG_COST_INVOCATIONS_PER_HOUR = 1u << 4
};

/* A list of name lists: keep_together, keep_apart, layers, independent. */
typedef struct config_groups {
    strvec *v;
    size_t n, cap;
} config_groups;

/* plan.pin[]: these functions, and the functions defined in files matching
 * these globs, go to this service, which is of this kind when one is given
 * (a library: linked into its callers, whatever the clustering says). */
typedef struct config_pin {
    char *service;
    strvec functions; /* function ids as in the graph JSON */
    strvec files;     /* globs on paths relative to the project root */
    unsigned kind;    /* enum plan_kind: service, function or library ... */
    unsigned kind_given; /* ... when "kind" was given */
} config_pin;

/* rules.forbidden[] (from must not call any of to) and rules.allowed[]
 * (from may call only its own service and to). */
typedef struct config_dep {
    char *from;
    strvec to;
} config_dep;

typedef struct config_deps {
    config_dep *v;
    size_t n, cap;
} config_deps;

/* rules.placement[]: a function the committed plan does not know, defined
 * in a file matching one of files, belongs to service. */
typedef struct config_place {
    char *service;
    strvec files;
} config_place;

typedef struct config_plan {
    unsigned granularity;  /* enum plan_granularity */
    int services;          /* wanted service count; 0 = not given */
    double resolution;     /* modularity resolution; 0 = not given */
    struct { config_pin *v; size_t n, cap; } pins;
    config_groups keep_together; /* each group: function ids, >= 2 */
    config_groups keep_apart;    /* each group: function ids, >= 2 */
} config_plan;

typedef struct config_rules {
    config_deps forbidden, allowed;
    config_groups layers;        /* service names; the top layer first */
    config_groups independent;   /* each group: service names, >= 2 */
    struct { config_place *v; size_t n, cap; } placement;
} config_rules;

/* Recommendation thresholds (see docs/config.md for their exact use). */
typedef struct config_thresholds {
    int library_min_callers;  /* stateless and called from >= this many services: library */
    int function_max_loc;     /* larger components are not proposed as functions */
    int function_max_state;   /* globals a function may own (serverless keeps none) */
    int function_max_fanout;  /* services a function may call */
} config_thresholds;

/* The cost model; every price is in one unspecified currency. */
typedef struct config_cost {
    double service_per_hour;     /* an always-on service instance */
    double per_invocation;       /* one function invocation */
    double per_gb_second;        /* function compute */
    double memory_mb;            /* memory of a function instance */
    double invocations_per_hour; /* rate assumed for every entry point */
    unsigned set;                /* CONFIG_COST_* bits the file gave */
} config_cost;

/* fitness.traffic.entries[]: these functions, and the functions of files
 * matching these globs that nothing calls by name, are entry points
 * invoked per_hour times an hour (docs/fitness.md, "Traffic"). */
typedef struct config_entry {
    strvec functions; /* function ids as in the graph JSON */
    strvec files;     /* globs on paths relative to the project root */
    double per_hour;
} config_entry;

/* The traffic model's inputs. */
typedef struct config_traffic {
    double loop_iterations; /* times a loop body runs, per loop level */
    struct { config_entry *v; size_t n, cap; } entries;
    unsigned loop_set; /* the file gave loop_iterations */
} config_traffic;

typedef struct config_fitness {
    config_thresholds thresholds;
    config_cost cost;
    config_traffic traffic;
} config_fitness;

typedef struct config {
    char *path;            /* the file read; NULL for config_default() */
    config_plan plan;
    config_rules rules;
    unsigned severity[CONFIG_RULE_COUNT]; /* enum config_severity, defaults filled in */
    strvec ignore;         /* globs on paths relative to the project root */
    config_fitness fitness;
} config;

/* The built-in configuration (what an empty "{}" file gives); never fails;
 * the caller frees it with config_free. */
config *config_default(void);

/*
 * Reads and validates the file at path.  Returns 0 with *out set (the
 * caller frees it with config_free), or -1 with *err set to one line
 * "<path>:<line>:<col>: <message>" (or "<path>: <reason>" when the file
 * cannot be read), which the caller prints and frees; the usual answer is
 * exit code 2.  The position is that of the offending value (of the key for
 * an unknown or repeated key).
 */
int config_load(const char *path, config **out, char **err);

void config_free(config *c); /* NULL is a no-op */

/* "cross-boundary-call" for CONFIG_RULE_CROSS_BOUNDARY_CALL... */
const char *config_rule_name(unsigned rule);
/* The rule with this id, or -1. */
int config_rule_find(const char *name);
/* "info", "warning", "error". */
const char *config_severity_name(unsigned sev);

/*
 * The pin a function falls under: the pin naming its id, else the first
 * pin with a file glob matching file (relative to the root; NULL for none).
 * Returns the pin, or NULL.
 */
const config_pin *config_pin_of(const config *c, const char *function_id, const char *file);

/*
 * The entry of fitness.traffic.entries a function falls under: the entry
 * naming its id, else the first entry with a glob matching file (NULL:
 * none) when the function is `unnamed` (nothing calls it by name).  Returns
 * the entry's index, or -1.
 */
int config_entry_of(const config_traffic *t, const char *function_id, const char *file,
                    int unnamed);

/* The service rules.placement gives to a new function defined in file, or
 * NULL when no placement glob matches. */
const char *config_placement_of(const config *c, const char *file);

/* 1 when a path relative to the project root matches an ignore glob. */
int config_ignored(const config *c, const char *path);

/*
 * What the file alone cannot tell, checked against what it speaks of; a
 * name that is not there is an error, never ignored.  Each returns 0, or
 * -1 with *err = "<path>:<line>:<col>: <where in the file>: <message>"
 * for the first unknown name (with a suggestion when one is close; the
 * caller frees *err, the usual answer is exit code 2):
 * config_check_services: every service the rules name (forbidden,
 * allowed, layers, independent, placement) is a service of p, the
 * committed plan (`cleave check`);
 * config_check_functions: every function id of the pins, keep_together,
 * keep_apart and fitness.traffic.entries is a function g defines (`cleave
 * plan`).
 */
int config_check_services(const config *c, const plan *p, char **err);
int config_check_functions(const config *c, const graph *g, char **err);

#endif
