#!/usr/bin/env python3
"""manpages.py - the man pages (man/) against the program.

- There is a page for cleave(1), one man/cleave-<command>.1 for every
  command of `cleave --help` and no other, and cleave.json(5); cleave(1)
  lists every command's page under COMMANDS.
- The options each page's OPTIONS section lists (the tag line after each
  .TP: "\\fB\\-p\\fR, \\fB\\-\\-build\\-dir\\fR \\fIDIR\\fR") are exactly
  the options of the command's --help (tests/e2e/helptext.py reads those),
  both ways, and so is a value's name (DIR, FILE, N) after it.
- cleave.json(5) names every key of docs/cleave.schema.json.
- Every page renders with groff's man macros without a warning.

First it makes sure the comparison sees an option missing from a page.
usage: manpages.py --cleave BIN --source DIR
"""
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import helptext  # noqa: E402
from e2elib import arguments  # noqa: E402

FONT = re.compile(r"\\f[BIRP]|\\f\(..|\\f\[[A-Z]*\]")
ROFF_OPTION = re.compile(r"^(-[A-Za-z0-9]|--[a-z][a-z0-9-]*)$")


def plain(roff):
    """Text of a roff line without font escapes, with \\- as -."""
    return FONT.sub("", roff).replace("\\-", "-").replace("\\e", "\\")


def sections(text):
    out, name = {}, None
    for line in text.splitlines():
        if line.startswith(".SH "):
            name = line[4:].strip().strip('"')
            out[name] = []
        elif name:
            out[name].append(line)
    return out


def page_options(text):
    """{option: value name or None} from the tag lines of OPTIONS."""
    opts = {}
    lines = sections(text).get("OPTIONS", [])
    for i, line in enumerate(lines[:-1]):
        if line.strip() != ".TP":
            continue
        tag = lines[i + 1]
        if tag.startswith("."):  # .I PATH: an operand, not an option
            continue
        words = [w.strip(",") for w in plain(tag).split()]
        names = [w for w in words if ROFF_OPTION.match(w)]
        rest = [w for w in words if not ROFF_OPTION.match(w)]
        for n in names:
            opts[n] = rest[0] if rest else None
    return opts


def help_options(h):
    return {n: o.metavar for o in h.options for n in o.names()}


def compare(page, want, have):
    """Differences between the options of --help (want) and of a page."""
    out = []
    for n in sorted(set(want) - set(have)):
        out.append(f"{page}: does not list {n} (in --help)")
    for n in sorted(set(have) - set(want)):
        out.append(f"{page}: lists {n}, which --help does not")
    for n in sorted(set(want) & set(have)):
        if want[n] != have[n]:
            out.append(f"{page}: {n} takes {have[n] or 'no value'}, --help says {want[n] or 'none'}")
    return out


def schema_keys(schema):
    keys = set()
    stack = [schema]
    while stack:
        x = stack.pop()
        if isinstance(x, dict):
            keys.update(x.get("properties", {}))
            stack.extend(x.values())
        elif isinstance(x, list):
            stack.extend(x)
    return keys


def main():
    a = arguments("cleave", "source")
    man = os.path.join(a.source, "man")
    bad = []

    def read(name):
        with open(os.path.join(man, name), encoding="utf-8") as f:
            return f.read()

    top = helptext.run_help(a.cleave)
    cmds = helptext.commands(top)
    pages = sorted(os.listdir(man))
    want_pages = sorted(["cleave.1", "cleave.json.5"] + [f"cleave-{c}.1" for c in cmds])
    for p in sorted(set(want_pages) - set(pages)):
        bad.append(f"man/{p} is missing: every command has its page (copy a neighbour's)")
    for p in sorted(set(pages) - set(want_pages)):
        bad.append(f"man/{p}: no such command in `cleave --help`, or not a man page")

    # the comparison sees a missing option: renaming --no-render in the plan
    # page adds exactly two differences to those the page has (which the
    # loop below reports)
    plan = read("cleave-plan.1")
    gone = plan.replace("\\fB\\-\\-no\\-render\\fR", "\\fB\\-\\-no\\-such\\fR", 1)
    plan_help = help_options(helptext.run_help(a.cleave, "plan"))
    caught = set(compare("x", plan_help, page_options(gone))) - set(
        compare("x", plan_help, page_options(plan)))
    if caught != {"x: does not list --no-render (in --help)", "x: lists --no-such, which --help does not"}:
        bad.append(f"the comparison found {sorted(caught)} in a page with --no-render renamed, "
                   "not its two differences: tests/e2e/manpages.py no longer reads the pages")

    checked = 0
    for page, h in [("cleave.1", top)] + [(f"cleave-{c}.1", helptext.run_help(a.cleave, c))
                                          for c in cmds]:
        if page not in pages:
            continue
        opts = page_options(read(page))
        if not opts:
            bad.append(f"man/{page}: no options found in its OPTIONS section")
        bad += compare("man/" + page, help_options(h), opts)
        checked += 1

    listed = plain("\n".join(sections(read("cleave.1")).get("COMMANDS", [])))
    for c in cmds:
        if f"cleave-{c} (1)" not in listed:
            bad.append(f"man/cleave.1: COMMANDS does not list cleave-{c}(1)")

    conf = plain(read("cleave.json.5"))
    with open(os.path.join(a.source, "docs", "cleave.schema.json"), encoding="utf-8") as f:
        keys = schema_keys(json.load(f))
    for k in sorted(keys):
        if not re.search(r"(?<![\w-])" + re.escape(k) + r"(?![\w-])", conf):
            bad.append(f"man/cleave.json.5 does not name the key {k} of docs/cleave.schema.json")

    groff = shutil.which("groff")
    if not groff:
        bad.append("no groff: install the Debian package groff-base (make deps)")
    else:
        for p in pages:
            r = subprocess.run([groff, "-man", "-Tutf8", "-ww", "-z", os.path.join(man, p)],
                               capture_output=True, text=True)
            if r.returncode != 0 or r.stderr:
                bad.append(f"man/{p}: groff -man -ww: {r.stderr.strip() or 'exit %d' % r.returncode}")

    for b in bad:
        print("FAIL: " + b)
    print(f"manpages: {len(pages)} pages, options of {checked} compared with --help, "
          f"{len(keys)} cleave.json keys; {len(bad)} problem(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
