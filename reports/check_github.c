/*
 * check_github.c - GitHub Actions workflow commands, one per finding not
 * in the baseline: "::error file=F,line=L,col=C,title=RULE::MESSAGE"
 * (warning, notice for the other severities), escaped as the runner
 * expects.
 */
#include "reports/check_report.h"

#include <stdlib.h>

/* Data and property escaping of workflow commands; prop adds ':' and ','. */
static void esc(strbuf *b, const char *s, int prop) {
    for (; *s; s++) {
        if (*s == '%') strbuf_add(b, "%25");
        else if (*s == '\r') strbuf_add(b, "%0D");
        else if (*s == '\n') strbuf_add(b, "%0A");
        else if (prop && *s == ':') strbuf_add(b, "%3A");
        else if (prop && *s == ',') strbuf_add(b, "%2C");
        else strbuf_addn(b, s, 1);
    }
}

static char *render(const check_result *c) {
    static const char *const cmd[] = {"notice", "warning", "error"};
    strbuf b = {0};
    strbuf_add(&b, "");
    for (size_t i = 0; i < c->findings.n; i++) {
        const check_finding *f = &c->findings.v[i];
        if (f->baselined) continue;
        strbuf_printf(&b, "::%s file=", cmd[f->severity]);
        /* a second build's unit "file[build]" is the file on disk */
        char *file = xstrndup(f->file, path_unit_len(f->file));
        esc(&b, file, 1);
        free(file);
        strbuf_printf(&b, ",line=%d,col=%d,title=%s::", f->line, f->col, config_rule_name(f->rule));
        esc(&b, f->message, 0);
        strbuf_add(&b, "\n");
    }
    for (size_t i = 0; i < c->stale.n; i++) {
        strbuf_add(&b, "::notice title=stale-baseline::fixed violation still in the baseline: ");
        esc(&b, c->stale.v[i], 0);
        strbuf_add(&b, "\n");
    }
    return b.v;
}

const check_reporter check_github_reporter = {"github", render};
