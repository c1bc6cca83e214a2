#!/usr/bin/env python3
"""layers.py - the include rules of docs/architecture.md, checked.

Every source file of analyzer/ and reports/ includes project headers by
path ("graph/graph.h", "reports/dot.h"), and only from its own stage or a
lower one, so data flows one way through the pipeline.  Stages of the
same rank (check, compare) do not include each other.  libclang's headers
are included by the front end's libclang files only, Graphviz's by the DOT
reporter only.  Exit status 1 with one line per violation, 0 when clean.

usage: tests/e2e/layers.py [SOURCE_DIR]
"""
import os
import re
import sys

# Lowest first.  A stage may include itself and any stage of lower rank.
RANK = {
    "util": 0,
    "frontend": 1,
    "graph": 2,
    "scan": 3,
    "plan": 4,
    "check": 5,
    "compare": 5,
    "reports": 6,
    "cli": 7,
}
# Third-party headers that must stay inside one part of the tree.
CONFINED = [
    (re.compile(r"<clang-c/"),
     re.compile(r"^analyzer/frontend/(frontend[a-z_]*|libclang[a-z_]*)\.[ch]$"),
     "libclang types never leave the front end"),
    (re.compile(r"<graphviz/"), re.compile(r"^reports/dot[a-z_]*\.[ch]$"),
     "Graphviz types never leave the DOT reporter"),
]
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def stage_of(rel):
    parts = rel.split("/")
    if parts[0] == "reports":
        return "reports"
    if parts[0] == "analyzer" and len(parts) == 3:
        return parts[1]
    return None


def main():
    root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                           os.path.join(os.path.dirname(__file__), "..", ".."))
    bad, files = [], 0
    for top in ("analyzer", "reports"):
        for dirpath, _, names in os.walk(os.path.join(root, top)):
            for name in sorted(names):
                if not name.endswith((".c", ".h")):
                    continue
                path = os.path.join(dirpath, name)
                rel = os.path.relpath(path, root)
                files += 1
                own = stage_of(rel)
                if own not in RANK:
                    bad.append(f"{rel}: not in a stage folder ({', '.join(RANK)})")
                    continue
                with open(path, encoding="utf-8") as f:
                    for lineno, line in enumerate(f, 1):
                        m = INCLUDE.match(line)
                        if not m:
                            continue
                        quote, header = m.groups()
                        where = f"{rel}:{lineno}"
                        if quote == "<":
                            for pat, allowed, why in CONFINED:
                                if pat.match("<" + header) and not allowed.match(rel):
                                    bad.append(f"{where}: includes <{header}>: {why}")
                            continue
                        target = header.split("/")[0] if "/" in header else None
                        if target not in RANK:
                            bad.append(f'{where}: "{header}" does not name its stage')
                            continue
                        if not os.path.exists(os.path.join(root, "analyzer", header)) and \
                           not os.path.exists(os.path.join(root, header)):
                            bad.append(f'{where}: "{header}" does not exist')
                        elif RANK[target] > RANK[own] or \
                                (RANK[target] == RANK[own] and target != own):
                            bad.append(f'{where}: {own} includes "{header}" '
                                       f"from {target}, which is not below it")
    for line in bad:
        print(line)
    print(f"layers: {files} files, {len(bad)} violations")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
