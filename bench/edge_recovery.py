#!/usr/bin/env python3
"""edge_recovery.py - how much of the direct call graph cleave recovers from a
tree that was never configured, against a scan of the configured build.

    edge_recovery.py --configured GRAPH --unconfigured GRAPH
                     [--min-recall PERCENT] [--min-precision PERCENT] [--list N]

Both are graphs written by `cleave scan` (schema cleave.graph/2): one with
the build's compile database, one of the pristine tree without any.

An edge is a direct call between two functions the project defines, keyed
by (file, name) of caller and callee rather than by id: ids differ between
the scans when an extern name is defined twice and one scan sees only one
of the definitions.  Only files both scans contain count (units and files
holding a definition, inside the root): files the build generates, or that
only the walk finds (examples, tests), are left out on both sides.

    recall    = common / edges of the configured scan
    precision = common / edges of the unconfigured scan

Also printed: the unconfigured scan's units ok/partial/failed (the first
--list units that are not ok, with their first error), its stand-in
headers, the functions both scans define in the files both contain
(keyed by file and name), and the first --list missing and extra edges.
Exit status: 0 when both figures reach their minimum, 1 when not, 2 on bad
input.
"""
import argparse
import json
import os
import sys
from collections import Counter


def fail(msg):
    sys.stderr.write("edge_recovery: %s\n" % msg)
    sys.exit(2)


def load(path):
    try:
        with open(path) as f:
            graph = json.load(f)
    except (OSError, ValueError) as e:
        fail("%s: %s" % (path, e))
    if graph.get("schema") != "cleave.graph/2":
        fail("%s: not a cleave graph (schema %r)" % (path, graph.get("schema")))
    return graph


def inside(path):
    """Files inside the root are relative; system headers are absolute."""
    return path is not None and not os.path.isabs(path)


def files_of(graph):
    files = {u["file"] for u in graph["units"] if inside(u["file"])}
    files |= {f["file"] for f in graph["functions"] if f["defined"] and inside(f["file"])}
    return files


def functions_of(graph, files):
    """{(file, name)} of the functions defined in files."""
    return {(f["file"], f["name"]) for f in graph["functions"] if f["defined"] and f["file"] in files}


def edges_of(graph, files):
    """{(caller file, caller, callee file, callee): 'file:line:col' of a site}."""
    defined = {f["id"]: (f["file"], f["name"]) for f in graph["functions"]
               if f["defined"] and f["file"] in files}
    edges = {}
    for c in graph["calls"]:
        if c["kind"] == "direct" and c["from"] in defined and c["to"] in defined:
            edges[defined[c["from"]] + defined[c["to"]]] = c["at"][0] if c["at"] else "?"
    return edges


def percent(part, whole):
    return 100.0 * part / whole if whole else 100.0


def show(title, edges, sites, limit):
    print("%s: %d" % (title, len(edges)))
    by_file = Counter(e[0] for e in edges)
    if by_file:
        print("  by caller file: " + ", ".join("%s %d" % fc for fc in by_file.most_common(8)))
    for e in sorted(edges)[:limit]:
        print("  %s:%s -> %s:%s  (at %s)" % (e[0], e[1], e[2], e[3], sites[e]))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--configured", required=True, help="graph of the build, with its compile DB")
    ap.add_argument("--unconfigured", required=True, help="graph of the pristine tree, no DB")
    ap.add_argument("--min-recall", type=float, default=90.0)
    ap.add_argument("--min-precision", type=float, default=99.0)
    ap.add_argument("--list", type=int, default=20, help="missing / extra edges to list")
    args = ap.parse_args()

    conf, unconf = load(args.configured), load(args.unconfigured)
    if unconf.get("compile_db") is not None:
        fail("%s: scanned with a compile database (%s)" % (args.unconfigured, unconf["compile_db"]))
    s = unconf["summary"]
    print("unconfigured scan: %d units: %d ok, %d partial, %d failed"
          % (s["units"], s["ok"], s["partial"], s["failed"]))
    for u in [u for u in unconf["units"] if u["status"] != "ok"][:args.list]:
        print("  %s %s: %s" % (u["status"], u["file"], u["errors"][0] if u["errors"] else ""))
    stand_ins = unconf.get("stand_ins", [])
    print("stand-ins: %d" % len(stand_ins))
    for st in stand_ins:
        units = " (included by %d units)" % st["units"] if "units" in st else ""
        print("  %s from %s, %d switches%s" % (st["header"], st["from"] or "(empty)",
                                               st["switches"], units))
    cs = conf["summary"]
    print("configured scan: %d units: %d ok, %d partial, %d failed"
          % (cs["units"], cs["ok"], cs["partial"], cs["failed"]))

    conf_files, unconf_files = files_of(conf), files_of(unconf)
    common_files = conf_files & unconf_files
    print("files: %d in both, %d only configured, %d only unconfigured"
          % (len(common_files), len(conf_files - common_files), len(unconf_files - common_files)))

    fwant, fgot = functions_of(conf, common_files), functions_of(unconf, common_files)
    print("functions defined in those files: configured %d, unconfigured %d, common %d "
          "(seen unconfigured: %.2f%%)" % (len(fwant), len(fgot), len(fwant & fgot),
                                           percent(len(fwant & fgot), len(fwant))))

    want, got = edges_of(conf, common_files), edges_of(unconf, common_files)
    common = want.keys() & got.keys()
    recall, precision = percent(len(common), len(want)), percent(len(common), len(got))
    print("direct edges: configured %d, unconfigured %d, common %d" % (len(want), len(got), len(common)))
    show("missing (configured only)", want.keys() - common, want, args.list)
    show("extra (unconfigured only)", got.keys() - common, got, args.list)
    ok = recall >= args.min_recall and precision >= args.min_precision
    print("%s: recall %.2f%% (%d / %d), precision %.2f%% (%d / %d) (minimum %.2f%% / %.2f%%)"
          % ("PASS" if ok else "FAIL", recall, len(common), len(want), precision, len(common),
             len(got), args.min_recall, args.min_precision))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
