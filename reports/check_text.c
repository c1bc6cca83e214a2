/*
 * check_text.c - compiler-style findings: "file:line:col: error: [rule]
 * message", then stale baseline entries and a one-line summary.
 * Baselined findings are not shown (the summary counts them).
 */
#include "reports/check_report.h"

#include <stdlib.h>

static char *render(const check_result *c) {
    strbuf b = {0};
    size_t accepted = 0;
    for (size_t i = 0; i < c->findings.n; i++) {
        const check_finding *f = &c->findings.v[i];
        if (f->baselined) {
            accepted++;
            continue;
        }
        strbuf_printf(&b, "%s:%d:%d: %s: [%s] %s\n", f->file, f->line, f->col,
                      config_severity_name(f->severity), config_rule_name(f->rule), f->message);
    }
    for (size_t i = 0; i < c->stale.n; i++)
        strbuf_printf(&b, "note: stale baseline entry (fixed, remove it): %s\n", c->stale.v[i]);
    strbuf_printf(&b, "cleave check: %zu error(s), %zu warning(s), %zu info; %zu baselined, %zu stale\n",
                  check_count(c, CONFIG_SEV_ERROR), check_count(c, CONFIG_SEV_WARNING),
                  check_count(c, CONFIG_SEV_INFO), accepted, c->stale.n);
    return b.v;
}

const check_reporter check_text_reporter = {"text", render};
