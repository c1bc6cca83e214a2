/*
 * check_html.c - the findings of `cleave check` as one self-contained HTML
 * page in the report's style (report_html.h): a CI artifact a reviewer
 * opens from the pull request.  The verdict, a count per rule, the
 * findings (severity, rule, file:line:col, message; baselined ones apart)
 * and the stale baseline entries.  Static markup, every text escaped; no
 * script, nothing loaded.
 */
#include "reports/check_report.h"
#include "reports/report_html.h"

#include <stdlib.h>

static void finding_rows(strbuf *b, const check_result *c, int baselined) {
    for (size_t i = 0; i < c->findings.n; i++) {
        const check_finding *f = &c->findings.v[i];
        if ((int)f->baselined != baselined) continue;
        const char *sev = config_severity_name(f->severity);
        strbuf_printf(b, "<tr class=\"sev-%s\"><td>%s</td><td><code>", sev, sev);
        report_html_escape(b, config_rule_name(f->rule));
        strbuf_add(b, "</code></td><td><code>");
        report_html_escape(b, f->file);
        strbuf_printf(b, ":%d:%d</code></td><td>", f->line, f->col);
        report_html_escape(b, f->message);
        strbuf_add(b, "</td></tr>\n");
    }
}

static void findings_table(strbuf *b, const check_result *c, int baselined, size_t n,
                           const char *title) {
    if (!n) return;
    strbuf_printf(b, "<section><h2>%s (%zu)</h2>\n<table class=\"findings\"><thead><tr>"
                     "<th>severity</th><th>rule</th><th>location</th><th>message</th></tr></thead>"
                     "<tbody>\n",
                  title, n);
    finding_rows(b, c, baselined);
    strbuf_add(b, "</tbody></table></section>\n");
}

static char *render(const check_result *c) {
    size_t accepted = 0;
    for (size_t i = 0; i < c->findings.n; i++) accepted += c->findings.v[i].baselined;
    size_t errors = check_count(c, CONFIG_SEV_ERROR);
    strbuf b = {0};
    strbuf_printf(&b, "<div id=\"app\" class=\"check\"><header><h1>cleave check: "
                      "<span class=\"%s\">%s</span></h1></header>\n<main>\n"
                      "<section><p class=\"verdict\">",
                  errors ? "failed" : "passed", errors ? "failed" : "passed");
    strbuf_printf(&b, "%zu error(s), %zu warning(s), %zu info; %zu baselined, %zu stale",
                  errors, check_count(c, CONFIG_SEV_WARNING), check_count(c, CONFIG_SEV_INFO),
                  accepted, c->stale.n);
    if (c->units) strbuf_printf(&b, "; %zu of %zu units parsed", c->units_parsed, c->units);
    strbuf_add(&b, ".</p>\n");
    /* a count per rule, in the order rules first appear */
    size_t nrules = 0;
    unsigned rules[64];
    size_t counts[64] = {0};
    for (size_t i = 0; i < c->findings.n; i++) {
        const check_finding *f = &c->findings.v[i];
        if (f->baselined) continue;
        size_t k = 0;
        while (k < nrules && rules[k] != f->rule) k++;
        if (k == nrules && nrules < 64) rules[nrules++] = f->rule;
        if (k < nrules) counts[k]++;
    }
    if (nrules) {
        strbuf_add(&b, "<table class=\"counts\"><thead><tr><th>rule</th><th>findings</th>"
                       "<th>what it means</th></tr></thead><tbody>\n");
        for (size_t k = 0; k < nrules; k++) {
            strbuf_add(&b, "<tr><td><code>");
            report_html_escape(&b, config_rule_name(rules[k]));
            strbuf_printf(&b, "</code></td><td class=\"num\">%zu</td><td>", counts[k]);
            report_html_escape(&b, check_rule_help(rules[k]));
            strbuf_add(&b, "</td></tr>\n");
        }
        strbuf_add(&b, "</tbody></table>\n");
    }
    strbuf_add(&b, "</section>\n");
    findings_table(&b, c, 0, c->findings.n - accepted, "Findings");
    findings_table(&b, c, 1, accepted, "Accepted by the baseline");
    if (c->stale.n) {
        strbuf_printf(&b, "<section><h2>Stale baseline entries (%zu)</h2><p>Fixed violations: "
                          "remove them from the baseline.</p><ul>\n",
                      c->stale.n);
        for (size_t i = 0; i < c->stale.n; i++) {
            strbuf_add(&b, "<li><code>");
            report_html_escape(&b, c->stale.v[i]);
            strbuf_add(&b, "</code></li>\n");
        }
        strbuf_add(&b, "</ul></section>\n");
    }
    if (!c->findings.n && !c->stale.n) strbuf_add(&b, "<section><p>No findings.</p></section>\n");
    strbuf_add(&b, "</main></div>\n");
    char *page = report_html_page(errors ? "cleave check: failed" : "cleave check: passed", b.v, 0);
    free(b.v);
    return page;
}

const check_reporter check_html_reporter = {"html", render};
