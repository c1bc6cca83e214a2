/*
 * check_report.h - the output formats of `cleave check`: one small struct
 * per format, one file each (reports/check_*.c).  A reporter renders the
 * whole result as one string the caller frees; none can fail.
 * docs/check.md describes every format.
 */
#ifndef CLEAVE_CHECK_REPORT_H
#define CLEAVE_CHECK_REPORT_H

#include "check/check.h"

typedef struct check_reporter {
    const char *name; /* the --format value */
    char *(*render)(const check_result *c);
} check_reporter;

extern const check_reporter check_text_reporter;
extern const check_reporter check_json_reporter;
extern const check_reporter check_sarif_reporter;
extern const check_reporter check_junit_reporter;
extern const check_reporter check_github_reporter;
extern const check_reporter check_markdown_reporter;
extern const check_reporter check_html_reporter; /* self-contained page (report_html.h) */

#endif
