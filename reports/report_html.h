/*
 * report_html.h - the HTML report of a plan (docs/report.md): one
 * self-contained page - inline CSS and JavaScript (reports/html/, embedded
 * at build time), the plan's data as JSON, the service map as SVG laid out
 * by Graphviz - that opens from file:// and asks the network for nothing
 * (its Content-Security-Policy forbids it).  And the same style for the
 * findings of `cleave check` (check_html.c).
 *
 * The data is JSON inside <script type="application/json">, with every
 * '<' written \u003c, so no name in the code ("</script>", "<!--") can end
 * the element or start markup; the page's script puts names into the page
 * only as text.  Same input, same bytes: nothing depends on time, threads
 * or addresses.
 */
#ifndef CLEAVE_REPORT_HTML_H
#define CLEAVE_REPORT_HTML_H

#include "reports/dot.h"
#include "reports/report_model.h"

/* `cleave plan` writes report.html for plans of up to this many functions:
 * a 300,000-function report is 65 MB and added 6 s and 460 MB to its plan
 * (twice the plan's own time).  `cleave report` writes one for any plan. */
#define REPORT_PLAN_MAX_FUNCTIONS 200000

/* The stylesheet and script of the pages (reports/html/report.css and
 * report.js, embedded by cmake/embed.cmake). */
extern const char report_css[];
extern const char report_js[];

/*
 * The report of the plan behind m.  The map is services_svg when given
 * (the services view `cleave plan` just rendered with the same options),
 * else the service view rendered now, or, for a plan of more than
 * DOT_GROUPS_FROM components or a service view too big to lay out, the
 * grouped view (dot_groups_text): the overview and one expanded view per
 * group; without render, no map (the page says so).  o (may be NULL) says
 * what the diagrams leave out.  Returns 0 with
 * *out (the caller frees it), or -1 with *err (the caller frees it) when
 * Graphviz cannot draw a view.
 */
int report_html(const report_model *m, const dot_options *o, int render, const char *services_svg,
                char **out, char **err);

/* The data the page reads, as JSON with '<' escaped (what report_html
 * embeds); never fails; the caller frees it.  maps is the "map" member, or
 * NULL for none. */
char *report_html_data(const report_model *m, const char *maps);

/* Appends s with &, <, >, and " escaped: for HTML (and XML) text and
 * double-quoted attribute values. */
void report_html_escape(strbuf *b, const char *s);

/* The page around a body: head with title and the stylesheet, body, then
 * the script when with_script; the caller frees the result. */
char *report_html_page(const char *title, const char *body, int with_script);

#endif
