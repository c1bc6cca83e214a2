#!/usr/bin/env python3
"""callgraph_compare.py - scores cleave's direct call edges against GCC's.

Reads the reference graph written by gcc_callgraph.py and a cleave graph
(schema "cleave.graph/2"), and compares the distinct caller->callee pairs
among functions the project defines:

    recall    = |cleave & gcc| / |gcc|
    precision = |cleave & gcc| / |cleave|

Both sides are keyed alike (extern: name; static: <file relative to
root>:<name>); cleave's keys are rebuilt from each function's linkage, file
and name rather than taken from its id, so a change in the id format cannot
pass for a call graph difference.  Every missing and extra edge gets a
category saying why it may differ: GCC drops static functions nothing
references and folds dead code such as `if (0) f();` even at -O0, so some
extra edges are GCC's doing rather than cleave's; they are counted, shown
and kept in the figures, never hidden.

Exit status: 0 when both figures reach --min, 1 when one does not, 2 on
unusable input.
"""
import argparse
import json
import os
import sys

GCC_SCHEMA = "cleave.bench.gcc-graph/1"
CLEAVE_SCHEMA = "cleave.graph/2"


class InputError(Exception):
    pass


def load(path, schema):
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (OSError, ValueError) as e:
        raise InputError("%s: %s" % (path, e))
    if doc.get("schema") != schema:
        raise InputError("%s: schema is %r, expected %r" % (path, doc.get("schema"), schema))
    return doc


def rel_file(file, base, root):
    """file (relative to base, or absolute) relative to root; unchanged if outside it."""
    full = os.path.normpath(os.path.join(base, file))
    rel = os.path.relpath(full, root)
    return full if rel == ".." or rel.startswith(".." + os.sep) else rel


class Side:
    """One graph reduced to what is compared: defined functions and edge sets.

    defined: key -> file; direct: (from, to) -> sites; indirect: set of (from, to);
    indirect_sites: (from, "file:line") -> set of targets (empty: unresolved).
    Indirect sites are matched by line: GCC and cleave place the column of a
    call through a pointer one apart."""

    def __init__(self):
        self.defined, self.direct, self.indirect, self.indirect_sites = {}, {}, set(), {}


def gcc_side(doc):
    side = Side()
    for fn in doc["functions"]:
        side.defined[fn["key"]] = fn["file"]
    for e in doc["edges"]:
        side.direct[(e["from"], e["to"])] = list(e.get("at", []))
    for site in doc["indirect"]:
        side.indirect_sites.setdefault((site["from"], site_line(site["at"])), set())
    return side


def cleave_side(doc, root):
    """The cleave graph keyed like the GCC side; raises InputError on a malformed graph."""
    side = Side()
    base = doc.get("root") or root
    keys = {}
    try:
        for fn in doc["functions"]:
            file = rel_file(fn["file"], base, root) if fn.get("file") else ""
            key = "%s:%s" % (file, fn["name"]) if fn["linkage"] == "static" else fn["name"]
            keys[fn["id"]] = (key, bool(fn["defined"]))
            if fn["defined"]:
                side.defined[key] = file
        for call in doc["calls"]:
            src, dst = keys.get(call["from"]), keys.get(call["to"])
            if src is None or dst is None:
                raise InputError("call %s -> %s names an unknown function" % (call["from"], call["to"]))
            if not (src[1] and dst[1]):
                continue
            pair = (src[0], dst[0])
            if call["kind"] == "direct":
                sites = side.direct.setdefault(pair, [])
                sites.extend(call.get("at", []))
            elif call["kind"] in ("field", "type"):
                side.indirect.add(pair)
                for at in call.get("at", []):
                    side.indirect_sites.setdefault((pair[0], site_line(at)), set()).add(pair[1])
            else:
                raise InputError("call %s -> %s has kind %r" % (call["from"], call["to"], call["kind"]))
    except (KeyError, TypeError) as e:
        raise InputError("malformed cleave graph: %r" % (e,))
    return side


def site_line(site):
    """"file:line" of a "file:line:col" site."""
    return site.rsplit(":", 1)[0] if site and site.count(":") >= 2 else (site or "?")


def missing_category(pair, cleave):
    src, dst = pair
    if src not in cleave.defined:
        return "caller not defined in cleave's graph"
    if dst not in cleave.defined:
        return "callee not defined in cleave's graph"
    if pair in cleave.indirect:
        return "cleave has it as an indirect call only"
    return "call missed by cleave"


def extra_category(pair, gcc):
    src, dst = pair
    if src not in gcc.defined:
        return "caller not emitted by GCC (unreferenced static/inline dropped, or not compiled)"
    if dst not in gcc.defined:
        return "callee not emitted by GCC (unreferenced static/inline dropped, or not compiled)"
    return "no such call in GCC's graph (dead code GCC folds at -O0, or a false edge)"


def source_line(root, site, cache):
    """The stripped source text at "file:line:col", or '' when it cannot be read."""
    parts = site.rsplit(":", 2)
    if len(parts) != 3 or not parts[1].isdigit():
        return ""
    path = parts[0] if os.path.isabs(parts[0]) else os.path.join(root, parts[0])
    if path not in cache:
        try:
            with open(path, encoding="utf-8", errors="replace") as f:
                cache[path] = f.read().splitlines()
        except OSError:
            cache[path] = []
    lines, n = cache[path], int(parts[1])
    return lines[n - 1].strip() if 0 < n <= len(lines) else ""


def pct(num, den):
    return 100.0 * num / den if den else 100.0


def by_category(pairs, categorize, side):
    groups = {}
    for pair in pairs:
        groups.setdefault(categorize(pair, side), []).append(pair)
    return groups


def print_edges(title, pairs, categorize, other, sites_of, root, limit, out):
    print("\n%s: %d" % (title, len(pairs)), file=out)
    if not pairs:
        return
    groups = by_category(pairs, categorize, other)
    for cat in sorted(groups, key=lambda c: (-len(groups[c]), c)):
        print("  %5d  %s" % (len(groups[cat]), cat), file=out)
    cache = {}
    shown = sorted(pairs)[:limit]
    for pair in shown:
        sites = sites_of(pair)
        first = sites[0] if sites else "?"
        more = " (+%d sites)" % (len(sites) - 1) if len(sites) > 1 else ""
        print("  %s -> %s  [%s]" % (pair[0], pair[1], categorize(pair, other)), file=out)
        text = source_line(root, first, cache) if sites else ""
        print("      at %s%s%s" % (first, more, ("  | " + text) if text else ""), file=out)
    if len(pairs) > limit:
        print("  ... %d more" % (len(pairs) - limit), file=out)


def print_indirect(gcc, cleave, limit, out):
    """Each indirect call site GCC sees with the number of targets cleave gives it."""
    sites = gcc.indirect_sites
    resolved = [k for k in sites if cleave.indirect_sites.get(k)]
    print("indirect call sites seen by GCC: %d, with cleave targets: %d" % (len(sites), len(resolved)),
          file=out)
    order = sorted(sites, key=lambda k: (len(cleave.indirect_sites.get(k, ())), k))
    for key in order[:limit]:
        print("  %5d targets  %s  in %s" % (len(cleave.indirect_sites.get(key, ())), key[1], key[0]), file=out)
    if len(order) > limit:
        print("  ... %d more" % (len(order) - limit), file=out)
    unseen = sorted(set(cleave.indirect_sites) - set(sites))
    if unseen:
        print("indirect call sites with cleave targets that GCC does not see: %d" % len(unseen), file=out)
        for key in unseen[:limit]:
            print("  %5d targets  %s  in %s" % (len(cleave.indirect_sites[key]), key[1], key[0]), file=out)


def print_functions(title, keys, out, limit):
    print("\n%s: %d" % (title, len(keys)), file=out)
    for key in sorted(keys)[:limit]:
        print("  " + key, file=out)
    if len(keys) > limit:
        print("  ... %d more" % (len(keys) - limit), file=out)


def report(gdoc, cdoc, root, minimum, limit, out):
    """Prints the comparison; returns True when recall and precision both reach minimum."""
    gcc, cleave = gcc_side(gdoc), cleave_side(cdoc, root)
    g, c = set(gcc.direct), set(cleave.direct)
    common = g & c
    recall, precision = pct(len(common), len(g)), pct(len(common), len(c))
    summ = cdoc.get("summary", {})

    print("GCC (-O0 -fcallgraph-info): %d units, %d failed; %d functions defined; "
          "%d direct edges; %d indirect call sites"
          % (gdoc["units"], gdoc["units_failed"], len(gcc.defined), len(g), gdoc["indirect_sites"]), file=out)
    print("cleave: %s units (%s ok, %s partial, %s failed); %d functions defined; %d direct edges"
          % (summ.get("units", "?"), summ.get("ok", "?"), summ.get("partial", "?"), summ.get("failed", "?"),
             len(cleave.defined), len(c)), file=out)
    print("\ncommon edges: %d" % len(common), file=out)
    print("recall:    %6.2f%%  (%d / %d)" % (recall, len(common), len(g)), file=out)
    print("precision: %6.2f%%  (%d / %d)" % (precision, len(common), len(c)), file=out)

    avg = summ.get("indirect_targets_avg")
    print("\nindirect calls (cleave): %s sites, %s resolved, %s unresolved, %s targets per resolved site"
          % (summ.get("indirect_sites", "?"), summ.get("indirect_resolved", "?"),
             summ.get("indirect_unresolved", "?"),
             ("%.2f" % avg) if isinstance(avg, (int, float)) else "?"), file=out)

    print_indirect(gcc, cleave, limit, out)
    shared = ["%s (%s)" % (f["key"], ", ".join(sorted(set(f["units"])))) for f in gdoc["functions"]
              if not f["static"] and len(set(f["units"])) > 1]
    if shared:
        print("\nextern functions defined in several units, one key on both sides: " + "; ".join(shared),
              file=out)

    print_functions("functions defined for GCC only", set(gcc.defined) - set(cleave.defined), out, limit)
    print_functions("functions defined for cleave only", set(cleave.defined) - set(gcc.defined), out, limit)
    print_edges("missing edges (GCC has them, cleave does not)", g - c, missing_category, cleave,
                lambda p: gcc.direct[p], root, limit, out)
    print_edges("extra edges (cleave has them, GCC does not)", c - g, extra_category, gcc,
                lambda p: sorted(set(cleave.direct[p])), root, limit, out)

    ok = recall >= minimum and precision >= minimum
    print("\n%s: recall %.2f%%, precision %.2f%% (minimum %.2f%%)"
          % ("PASS" if ok else "FAIL", recall, precision, minimum), file=out)
    return ok


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gcc", required=True, help="reference graph from gcc_callgraph.py")
    ap.add_argument("--cleave", required=True, help="graph.json from `cleave scan`")
    ap.add_argument("--root", help="project root (default: the one recorded by gcc_callgraph.py)")
    ap.add_argument("--min", type=float, default=99.5, help="required recall and precision, in %%")
    ap.add_argument("--limit", type=int, default=50, help="edges listed per kind of difference")
    args = ap.parse_args(argv)
    try:
        gdoc = load(args.gcc, GCC_SCHEMA)
        cdoc = load(args.cleave, CLEAVE_SCHEMA)
        root = os.path.realpath(args.root or gdoc["root"])
        ok = report(gdoc, cdoc, root, args.min, args.limit, sys.stdout)
    except InputError as e:
        print("callgraph_compare: " + str(e), file=sys.stderr)
        return 2
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
