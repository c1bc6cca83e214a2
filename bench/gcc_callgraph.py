#!/usr/bin/env python3
"""gcc_callgraph.py - GCC's own direct call graph of a project, as reference data.

For every C entry of a compilation database it runs the entry's own compiler
command again with `-O0 -fcallgraph-info` appended (output redirected into a
temporary directory, dependency-file flags dropped) and parses the `.ci` VCG
files GCC writes.  The result is one JSON document (schema
"cleave.bench.gcc-graph/1") holding the functions GCC emitted with a body
inside the project root and the direct call edges between them, each
function keyed the way cleave keys its graph:

    extern function  -> its name                       ("luaH_get")
    static function  -> <file relative to root>:<name> ("src/ltable.c:mainposition")

GCC names a static function "<main input file as written on the command
line>:<name>" (the translation unit's path, even for a static defined in a
header) and an extern one by its assembler name; the label of every node
carries "<name>\\n<file>:<line>:<col>" with the file where the function is
declared, relative to the compile directory.  The key is therefore built from
the label, never from the title.  Nodes drawn as `shape : ellipse` are
declarations only; the others have a body in that unit.  Calls through a
pointer go to the placeholder node "__indirect_call".

Nothing here is shared with cleave: the point is an independent reference.
"""
import argparse
import concurrent.futures
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

SCHEMA = "cleave.bench.gcc-graph/1"
INDIRECT = "__indirect_call"

# VCG lines as GCC 10+ prints them (gcc/toplev.cc, dump_final_node_vcg).
NODE_RE = re.compile(r'^node: \{ title: "((?:[^"\\]|\\.)*)" label: "((?:[^"\\]|\\.)*)"(.*)\}\s*$')
EDGE_RE = re.compile(r'^edge: \{ sourcename: "((?:[^"\\]|\\.)*)" targetname: "((?:[^"\\]|\\.)*)"'
                     r'(?: label: "((?:[^"\\]|\\.)*)")? \}\s*$')
LOC_RE = re.compile(r'^(.*):(\d+):(\d+)$')

CXX_COMPILERS = re.compile(r'(^|[-/])(g\+\+|c\+\+|clang\+\+)(-[0-9.]+)?$')
# Flags whose next word is their argument and which must not reach our run.
DROP_WITH_ARG = {"-o", "-MF", "-MT", "-MQ"}
DROP_ALONE = {"-MD", "-MMD", "-M", "-MM", "-MG", "-MP"}


def entry_argv(entry):
    """The entry's command as a word list ("arguments", else "command" split as sh does)."""
    if "arguments" in entry:
        return list(entry["arguments"])
    return shlex.split(entry["command"])


def is_c_entry(argv, path):
    """True for a C compile: a .c file given to a compiler that is not a C++ driver."""
    if not argv or not path.endswith(".c"):
        return False
    if CXX_COMPILERS.search(os.path.basename(argv[0])):
        return False
    for i, word in enumerate(argv):
        if word == "-x" and i + 1 < len(argv) and argv[i + 1] != "c":
            return False
        if word.startswith("-x") and len(word) > 2 and word != "-xc":
            return False
    return True


def c_entries(db):
    """The C entries of a database, one per source file (the first one wins), in order.

    Returns (kept, skipped) where skipped counts entries left out: not C, a
    second compile of a file already kept (libtool's PIC/non-PIC pairs), or a
    file that no longer exists (configure's conftest.c)."""
    kept, seen, skipped = [], set(), 0
    for entry in db:
        path = os.path.normpath(os.path.join(entry["directory"], entry["file"]))
        if not is_c_entry(entry_argv(entry), path) or path in seen or not os.path.isfile(path):
            skipped += 1
            continue
        seen.add(path)
        kept.append(entry)
    return kept, skipped


def gcc_argv(argv, obj):
    """The entry's argv with output/dependency flags dropped, writing obj, at -O0 with -fcallgraph-info."""
    out = [argv[0]]
    skip = False
    for word in argv[1:]:
        if skip:
            skip = False
            continue
        if word in DROP_WITH_ARG:
            skip = True
            continue
        if word in DROP_ALONE or (word.startswith("-o") and len(word) > 2):
            continue
        if any(word.startswith(f) and len(word) > len(f) for f in ("-MF", "-MT", "-MQ")):
            continue
        out.append(word)
    # Last -O wins, so -O0 appended after the build's own -O2/-Os takes effect.
    return out + ["-O0", "-fcallgraph-info", "-o", obj]


def unescape(s):
    return s.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def parse_ci(text):
    """Parses one .ci file: ({title: (name, file, defined)}, [(src, dst, site)]).

    A title may appear more than once (declared, then defined); it counts as
    defined if any occurrence is not an ellipse.  file and site are as GCC
    printed them (relative to the compile directory or absolute); site is
    None when the edge has no label."""
    nodes, edges = {}, []
    for line in text.splitlines():
        m = NODE_RE.match(line)
        if m:
            title, label, rest = unescape(m.group(1)), unescape(m.group(2)), m.group(3)
            name, _, where = label.partition("\n")
            lm = LOC_RE.match(where)
            file = lm.group(1) if lm else None
            defined = "ellipse" not in rest and title != INDIRECT
            old = nodes.get(title)
            if old:
                defined = defined or old[2]
                file = file or old[1]
            nodes[title] = (name, file, defined)
            continue
        m = EDGE_RE.match(line)
        if m:
            edges.append((unescape(m.group(1)), unescape(m.group(2)),
                          unescape(m.group(3)) if m.group(3) is not None else None))
    return nodes, edges


def rel_path(path, directory, root):
    """(path relative to root, True) for a path inside root, else (absolute path, False)."""
    full = os.path.normpath(os.path.join(directory, path))
    rel = os.path.relpath(full, root)
    if rel == ".." or rel.startswith(".." + os.sep):
        return full, False
    return rel, True


def rel_site(site, directory, root):
    """"file:line:col" with file made relative to root (absolute if outside)."""
    m = LOC_RE.match(site or "")
    if not m:
        return site
    return "%s:%s:%s" % (rel_path(m.group(1), directory, root)[0], m.group(2), m.group(3))


def node_key(title, name, file, directory, root):
    """(key, file, in_project) for a node: cleave's id scheme, built from the label."""
    if file is None:
        return title, None, False
    rel, inside = rel_path(file, directory, root)
    # A static's title is "<unit>:<name>"; an extern's is its assembler name.
    is_static = title != name and title.endswith(":" + name)
    return (rel + ":" + name if is_static else name), rel, inside


def run_one(entry, tmpdir, index):
    """Runs one compile; returns (unit file, directory, ci text or None, error text)."""
    argv = entry_argv(entry)
    obj = os.path.join(tmpdir, "u%d.o" % index)
    cmd = gcc_argv(argv, obj)
    proc = subprocess.run(cmd, cwd=entry["directory"], stdin=subprocess.DEVNULL,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    ci = os.path.join(tmpdir, "u%d.ci" % index)
    if proc.returncode != 0 or not os.path.exists(ci):
        return entry["file"], entry["directory"], None, "%s\n%s" % (shlex.join(cmd), proc.stderr.strip())
    with open(ci, encoding="utf-8", errors="replace") as f:
        return entry["file"], entry["directory"], f.read(), ""


def build(db, root, jobs):
    """The reference graph document for database entries db (a list) under root."""
    entries, skipped = c_entries(db)
    functions = {}   # key -> {"key","name","file","line","static","units"}
    raw_edges = []   # (caller key, callee key, site)
    indirect_sites = set()
    failures = []
    with tempfile.TemporaryDirectory(prefix="gcc-callgraph-") as tmpdir:
        with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
            results = list(pool.map(lambda ie: run_one(ie[1], tmpdir, ie[0]), enumerate(entries)))
    for unit, directory, text, err in results:
        if text is None:
            failures.append({"file": unit, "error": err})
            continue
        nodes, edges = parse_ci(text)
        keys = {}
        for title, (name, file, defined) in nodes.items():
            key, rel, inside = node_key(title, name, file, directory, root)
            keys[title] = (key, inside, defined)
            if defined and inside:
                fn = functions.setdefault(key, {"key": key, "name": name, "file": rel,
                                                "static": key != name, "units": []})
                fn["units"].append(rel_path(unit, directory, root)[0])
        for src, dst, site in edges:
            if src not in keys:
                continue
            skey, sinside, sdef = keys[src]
            if not (sinside and sdef):
                continue
            where = rel_site(site, directory, root) if site else None
            if dst == INDIRECT:
                indirect_sites.add((skey, where))
                continue
            if dst in keys:
                dkey, dinside, _ = keys[dst]
                if dinside:
                    raw_edges.append((skey, dkey, where))
    # A callee counts only when some unit of the project defines it.
    edges = {}
    for skey, dkey, where in raw_edges:
        if dkey in functions:
            edges.setdefault((skey, dkey), set()).add(where)
    return {
        "schema": SCHEMA,
        "root": root,
        "units": len(entries),
        "units_failed": len(failures),
        "entries_skipped": skipped,
        "failures": failures,
        "functions": sorted(functions.values(), key=lambda f: f["key"]),
        "edges": [{"from": s, "to": d, "at": sorted(a for a in at if a)}
                  for (s, d), at in sorted(edges.items())],
        "indirect_sites": len(indirect_sites),
        "indirect": [{"from": s, "at": a} for s, a in sorted(indirect_sites, key=lambda x: (x[0], x[1] or ""))],
    }


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", required=True, help="compile_commands.json")
    ap.add_argument("--root", required=True, help="project root (keys of statics are relative to it)")
    ap.add_argument("--out", required=True, help="where to write the reference graph JSON")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--c-db", help="also write the C entries actually used (one per file) here")
    args = ap.parse_args(argv)
    root = os.path.realpath(args.root)
    with open(args.db, encoding="utf-8") as f:
        db = json.load(f)
    if args.c_db:
        kept, _ = c_entries(db)
        os.makedirs(os.path.dirname(os.path.abspath(args.c_db)), exist_ok=True)
        with open(args.c_db, "w", encoding="utf-8") as f:
            json.dump(kept, f, indent=2)
            f.write("\n")
    doc = build(db, root, max(1, args.jobs))
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    print("gcc: %d units (%d failed, %d database entries skipped), %d functions, %d direct edges, "
          "%d indirect call sites" % (doc["units"], doc["units_failed"], doc["entries_skipped"],
                                      len(doc["functions"]), len(doc["edges"]), doc["indirect_sites"]))
    for fail in doc["failures"]:
        print("gcc: %s: compile failed:\n%s" % (fail["file"], fail["error"]), file=sys.stderr)
    return 1 if doc["units_failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
