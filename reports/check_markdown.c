/*
 * check_markdown.c - a Markdown summary for a pull request comment or a
 * job summary: the counts, then a table of the findings not in the
 * baseline and the stale baseline entries.
 */
#include "reports/check_report.h"

#include <stdlib.h>

/* Table cells: '|' and newlines would break the row. */
static void cell(strbuf *b, const char *s) {
    for (; *s; s++) {
        if (*s == '|') strbuf_add(b, "\\|");
        else if (*s == '\n') strbuf_add(b, " ");
        else strbuf_addn(b, s, 1);
    }
}

static char *render(const check_result *c) {
    strbuf b = {0};
    size_t accepted = 0, shown = 0;
    for (size_t i = 0; i < c->findings.n; i++) accepted += c->findings.v[i].baselined;
    size_t errors = check_count(c, CONFIG_SEV_ERROR);
    strbuf_printf(&b, "## cleave check: %s\n\n", errors ? "failed" : "passed");
    strbuf_printf(&b, "%zu error(s), %zu warning(s), %zu info; %zu baselined, %zu stale.\n",
                  errors, check_count(c, CONFIG_SEV_WARNING), check_count(c, CONFIG_SEV_INFO),
                  accepted, c->stale.n);
    for (size_t i = 0; i < c->findings.n; i++) {
        const check_finding *f = &c->findings.v[i];
        if (f->baselined) continue;
        if (!shown++) strbuf_add(&b, "\n| severity | rule | location | message |\n| --- | --- | --- | --- |\n");
        strbuf_printf(&b, "| %s | `%s` | `%s:%d:%d` | ", config_severity_name(f->severity),
                      config_rule_name(f->rule), f->file, f->line, f->col);
        cell(&b, f->message);
        strbuf_add(&b, " |\n");
    }
    if (c->stale.n) strbuf_add(&b, "\nStale baseline entries (fixed; remove them):\n\n");
    for (size_t i = 0; i < c->stale.n; i++) strbuf_printf(&b, "- `%s`\n", c->stale.v[i]);
    return b.v;
}

const check_reporter check_markdown_reporter = {"markdown", render};
