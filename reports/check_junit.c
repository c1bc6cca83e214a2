/*
 * check_junit.c - findings as JUnit XML for CI test report viewers: one
 * test case per finding not in the baseline (an error is a failure; a
 * warning or info passes and says why in system-out), or one passing case
 * when there is none.
 */
#include "reports/check_report.h"
#include "reports/report_html.h" /* report_html_escape: XML escapes as HTML does */

#include <stdlib.h>

static char *render(const check_result *c) {
    strbuf b = {0};
    size_t tests = 0, failures = check_count(c, CONFIG_SEV_ERROR);
    for (size_t i = 0; i < c->findings.n; i++) tests += !c->findings.v[i].baselined;
    strbuf_printf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n"
                      "  <testsuite name=\"cleave check\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n",
                  tests ? tests : 1, failures);
    if (!tests) strbuf_add(&b, "    <testcase classname=\"cleave.check\" name=\"no findings\"/>\n");
    for (size_t i = 0; i < c->findings.n; i++) {
        const check_finding *f = &c->findings.v[i];
        if (f->baselined) continue;
        strbuf_printf(&b, "    <testcase classname=\"cleave.%s\" name=\"", config_rule_name(f->rule));
        report_html_escape(&b, f->key);
        strbuf_add(&b, "\">\n");
        const char *tag = f->severity == CONFIG_SEV_ERROR ? "failure" : "system-out";
        if (f->severity == CONFIG_SEV_ERROR) {
            strbuf_add(&b, "      <failure type=\"error\" message=\"");
            report_html_escape(&b, f->message);
            strbuf_add(&b, "\">");
        } else {
            strbuf_add(&b, "      <system-out>");
        }
        strbuf_printf(&b, "%s:%d:%d: %s: ", f->file, f->line, f->col, config_severity_name(f->severity));
        report_html_escape(&b, f->message);
        strbuf_printf(&b, "</%s>\n    </testcase>\n", tag);
    }
    strbuf_add(&b, "  </testsuite>\n</testsuites>\n");
    return b.v;
}

const check_reporter check_junit_reporter = {"junit", render};
