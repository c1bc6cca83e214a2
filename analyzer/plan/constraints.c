/*
 * constraints.c - makes a plan obey the constraints of cleave.json's "plan"
 * section: pins (functions or file globs to a named service), keep-together
 * groups and keep-apart groups, in that order of precedence.  Each step
 * says what it did in the plan's notes, and what it could not do.
 *
 * Works on p->assign only, then plan_finish derives the rest; pinned
 * services keep the name the user gave.
 */
#include "plan/constraints.h"

#include <stdlib.h>
#include <string.h>


/* The service named `name`, made (as a service with a fixed name) when the
 * plan has none. */
static size_t named(plan *p, const char *name) {
    size_t s = plan_find_service(p, name);
    if (s != PLAN_NONE) {
        p->services.v[s].fixed_name = 1;
        return s;
    }
    s = plan_add_service(p, PLAN_SERVICE);
    p->services.v[s].name = xstrdup(name);
    p->services.v[s].fixed_name = 1;
    return s;
}

static void note(plan *p, char *text) {
    strvec_push_owned(&p->notes, text);
}

/* Call sites between function f and the functions of service s. */
static int ties(const plan *p, size_t f, size_t s) {
    int w = 0;
    for (size_t i = 0; i < p->g->calls.n; i++) {
        const gcall *c = &p->g->calls.v[i];
        if ((c->from == f && p->assign[c->to] == s) || (c->to == f && p->assign[c->from] == s))
            w += c->sites;
    }
    return w;
}

void constraints_apply(plan *p, const config *cfg) {
    const graph *g = p->g;
    const config_plan *cp = &cfg->plan;
    size_t n = g->funcs.n;
    unsigned char *pinned = xcalloc(n ? n : 1, 1);

    /* which pin a function follows is config_pin_of's call (a name beats a
     * glob, the first glob wins), so plan and check agree */
    size_t np = cp->pins.n;
    size_t *svc = xmallocarray(np, sizeof *svc);
    size_t *matched = xcalloc(np, sizeof *matched), *moved = xcalloc(np, sizeof *moved);
    for (size_t i = 0; i < np; i++) svc[i] = named(p, cp->pins.v[i].service);
    for (size_t f = 0; f < n; f++) {
        const gfunc *fn = &g->funcs.v[f];
        if (!fn->defined) continue;
        const config_pin *pin = config_pin_of(cfg, fn->id, fn->file);
        if (!pin) continue;
        size_t i = (size_t)(pin - cp->pins.v);
        matched[i]++;
        moved[i] += p->assign[f] != svc[i];
        p->assign[f] = svc[i];
        pinned[f] = 1;
    }
    for (size_t i = 0; i < np; i++) {
        const config_pin *pin = &cp->pins.v[i];
        if (!matched[i]) {
            note(p, xasprintf("pin: nothing in the code matches the pin to %s", pin->service));
            continue;
        }
        char *kind = NULL;
        if (pin->kind_given) {
            plan_service *sv = &p->services.v[svc[i]];
            sv->kind = pin->kind;
            free(sv->kind_from);
            sv->kind_from = xasprintf("plan.pin[%zu]", i);
            kind = xasprintf(", a %s by plan.pin[%zu].kind", plan_kind_name(pin->kind), i);
        }
        note(p, xasprintf("pin: %zu function(s) pinned to %s (%zu moved)%s", matched[i],
                          pin->service, moved[i], kind ? kind : ""));
        free(kind);
    }
    free(svc);
    free(matched);
    free(moved);

    for (size_t i = 0; i < cp->keep_together.n; i++) {
        const strvec *grp = &cp->keep_together.v[i];
        /* the service holding most of the group's lines, pinned members first */
        size_t best = PLAN_NONE;
        int bestloc = -1, forced = 0;
        for (size_t j = 0; j < grp->n; j++) {
            size_t f = graph_find_func(g, grp->v[j]);
            if (f == (size_t)-1 || p->assign[f] == PLAN_NONE) continue;
            if (pinned[f]) {
                if (forced && best != p->assign[f])
                    note(p, xasprintf("keep_together: %s is pinned apart from the rest of its group",
                                      grp->v[j]));
                best = p->assign[f];
                forced = 1;
                continue;
            }
            if (forced) continue;
            int loc = 0;
            for (size_t k = 0; k < grp->n; k++) {
                size_t h = graph_find_func(g, grp->v[k]);
                if (h != (size_t)-1 && p->assign[h] == p->assign[f]) loc += g->funcs.v[h].loc;
            }
            if (loc > bestloc) bestloc = loc, best = p->assign[f];
        }
        if (best == PLAN_NONE) {
            note(p, xasprintf("keep_together: no function of group %zu is in the code", i + 1));
            continue;
        }
        size_t moved = 0;
        for (size_t j = 0; j < grp->n; j++) {
            size_t f = graph_find_func(g, grp->v[j]);
            if (f == (size_t)-1 || pinned[f] || p->assign[f] == best) continue;
            p->assign[f] = best;
            pinned[f] = 1;
            moved++;
        }
        note(p, xasprintf("keep_together: group %zu kept in one service (%zu moved)", i + 1, moved));
    }

    for (size_t i = 0; i < cp->keep_apart.n; i++) {
        const strvec *grp = &cp->keep_apart.v[i];
        size_t moved = 0;
        for (size_t j = 1; j < grp->n; j++) {
            size_t f = graph_find_func(g, grp->v[j]);
            if (f == (size_t)-1 || p->assign[f] == PLAN_NONE) continue;
            int clash = 0;
            for (size_t k = 0; k < j && !clash; k++) {
                size_t h = graph_find_func(g, grp->v[k]);
                clash = h != (size_t)-1 && p->assign[h] == p->assign[f];
            }
            if (!clash) continue;
            if (pinned[f]) {
                note(p, xasprintf("keep_apart: %s is pinned together with another member of its group",
                                  grp->v[j]));
                continue;
            }
            /* the most tied-to service holding no member of the group */
            size_t best = PLAN_NONE;
            int bestw = -1;
            for (size_t s = 0; s < p->services.n; s++) {
                if (s == p->assign[f] || p->services.v[s].kind == PLAN_LIBRARY) continue;
                int taken = 0;
                for (size_t k = 0; k < grp->n && !taken; k++) {
                    size_t h = graph_find_func(g, grp->v[k]);
                    taken = h != (size_t)-1 && p->assign[h] == s;
                }
                int w = taken ? -1 : ties(p, f, s);
                if (!taken && w > bestw) bestw = w, best = s;
            }
            if (best == PLAN_NONE) best = plan_add_service(p, PLAN_SERVICE);
            const char *from = p->services.v[p->assign[f]].name;
            note(p, xasprintf("keep_apart: %s moved out of %s", grp->v[j], from ? from : "its service"));
            p->assign[f] = best;
            moved++;
        }
        if (!moved) note(p, xasprintf("keep_apart: group %zu already in separate services", i + 1));
    }
    free(pinned);
    plan_finish(p);
    /* a library the user declared may call a service directly, as only a
     * platform of the clustering's does: each process linking it makes
     * that call, and the plan lists it as an interface of the library
     * (plan.h) */
    for (size_t i = 0; i < p->interfaces.n; i++) {
        const plan_interface *x = &p->interfaces.v[i];
        const plan_service *from = &p->services.v[x->from];
        if (from->kind != PLAN_LIBRARY || !from->kind_from) continue;
        note(p, xasprintf("%s: %s is declared a library but calls %s directly (%d site(s)): every "
                          "component linking it calls %s",
                          from->kind_from, from->name, p->services.v[x->to].name, x->sites,
                          p->services.v[x->to].name));
    }
}
