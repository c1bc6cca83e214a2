#!/usr/bin/env python3
"""readme_samples.py - the command samples of README.md and docs/*.md, run.

A sample is a fenced code block (``` with no language, or ```console)
whose first line starts with "$ cleave ".  Each line starting with "$ " is
a command; the lines after it, up to the next command or the end of the
block, are what it prints on stdout.  Blocks that do not start that way
(usage synopses, `sh` blocks of commands without output) are not checked.

How a sample is run:
- from the source directory, with the built binary for "cleave"; the line
  is split like a shell word list (shlex), but no shell runs it: no pipes,
  redirections or variables in a sample;
- paths under out/ (an argument "out", "out/...", or "--opt=out/...") go
  to a scratch directory instead, one per markdown file, so the samples of
  one file may build on each other (a plan, then a graph of it) and nothing
  is written into the checkout; the scratch directory is removed from the
  output again, so a sample shows "wrote out/plan/plan.json";
- commands that scan (scan, plan, graph, check, init) get --cache-dir in
  the scratch directory unless the sample names a cache option, so no
  cache lands in fixtures/;
- the exit status must be 0, or N when the command ends in "# exit N";
- stdout is compared exactly after one normalisation on both sides: the
  plan time ("plan 0.01 s") reads "plan #.## s".  stderr is not compared
  (it is shown when a sample fails).  A line "..." in a sample stands for
  any number of lines, to show part of a long output.

usage: readme_samples.py --cleave BIN --source DIR --work DIR [--update] [FILE.md...]
(default files: README.md and docs/*.md).  With --update (or
CLEAVE_UPDATE_GOLDEN=1 in the environment, as for the golden tests), a
wrong sample without "..." lines is rewritten with the program's output
(review the change with git diff); one with "..." is reported for a hand
edit.  Exit 1 with a diff per wrong
sample, 0 when every sample holds; it fails too when it finds no sample,
so a change of convention cannot make it pass by checking nothing.
"""
import argparse
import difflib
import glob
import os
import re
import shlex
import shutil
import subprocess
import sys

FENCE = re.compile(r"^(```+|~~~+)\s*(\S*)\s*$")
EXIT = re.compile(r"\s+#\s*exit\s+(\d+)\s*$")
TIMING = re.compile(r"\bplan [0-9]+\.[0-9]+ s\b")
SCANNING = {"scan", "plan", "graph", "check", "init"}
CACHE_OPTIONS = ("--cache-dir", "--no-cache")


def samples(path):
    """Yields (line number, block lines) of each sample block of path."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, lang = m.group(1), m.group(2)
        end = i + 1
        while end < len(lines) and not lines[end].startswith(fence[:3]):
            end += 1
        body = lines[i + 1:end]
        if lang in ("", "console") and body and body[0].startswith("$ cleave "):
            yield i + 2, body
        i = end + 1


def commands(body):
    """Splits a sample into (command line, expected output lines)."""
    out = []
    for line in body:
        if line.startswith("$ "):
            out.append((line[2:], []))
        else:
            out[-1][1].append(line)
    return out


def redirect(arg, work):
    """arg with a path under out/ moved into work."""
    opt, eq, value = arg.partition("=") if arg.startswith("--") else ("", "", arg)
    if value == "out" or value.startswith("out/"):
        return opt + eq + os.path.join(work, value)
    return arg


def argv_of(line, cleave, work):
    """The argv to run for a sample's command line, and the expected exit status."""
    status = 0
    m = EXIT.search(line)
    if m:
        status = int(m.group(1))
        line = line[:m.start()]
    words = shlex.split(line)
    if words[0] != "cleave":
        raise ValueError(f"not a cleave command: {line}")
    args = [redirect(w, work) for w in words[1:]]
    if args and args[0] in SCANNING and not any(a.startswith(CACHE_OPTIONS) for a in args):
        args[1:1] = ["--cache-dir", os.path.join(work, "cache")]
    return [cleave] + args, status


def normalise(text):
    return TIMING.sub("plan #.## s", text)


def matches(want, got):
    """Whether the lines got match want, where a line "..." matches any run of lines."""
    parts = [[]]
    for line in want:
        if line == "...":
            parts.append([])
        else:
            parts[-1].append(line)
    if len(parts) == 1:
        return want == got
    first, middle, last = parts[0], parts[1:-1], parts[-1]
    if got[:len(first)] != first or len(got) < len(first) + len(last):
        return False
    if last and got[len(got) - len(last):] != last:
        return False
    # each middle part at its leftmost place after the previous one
    at, end = len(first), len(got) - len(last)
    for part in middle:
        while at + len(part) <= end and got[at:at + len(part)] != part:
            at += 1
        if at + len(part) > end:
            return False
        at += len(part)
    return True


def rewrite(path, edits):
    """Replaces output lines of path: edits are (first line index, count, new lines)."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    for first, count, new in sorted(edits, reverse=True):
        lines[first:first + count] = new
    with open(path, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))


def check_file(path, cleave, source, work, update=False):
    """Runs the samples of one markdown file; returns (samples run, failures)."""
    rel = os.path.relpath(path, source)
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    run = failed = 0
    edits = []
    for lineno, body in samples(path):
        for line, expected in commands(body):
            run += 1
            where = f"{rel}:{lineno}: $ {line}"
            argv, status = argv_of(line, cleave, work)
            p = subprocess.run(argv, cwd=source, capture_output=True, text=True)
            got = normalise(p.stdout.replace(work + os.sep, "")).split("\n")
            # a block's last output line is the one before the fence
            if got and got[-1] == "":
                got.pop()
            want = [normalise(w) for w in expected]
            while want and want[-1] == "":
                want.pop()
            problems = []
            if p.returncode != status:
                problems.append(f"exit status {p.returncode}, expected {status}")
            if not matches(want, got):
                diff = difflib.unified_diff(want, got, "README sample", "cleave's output", lineterm="")
                problems.append("output differs:\n" + "\n".join(diff))
            if problems and update and "..." not in expected and p.returncode == status:
                # the output starts on the line after the command (lineno is 1-based)
                edits.append((lineno, len(want), p.stdout.replace(work + os.sep, "").rstrip("\n").split("\n")))
                print(f"updated {where}")
            elif problems:
                failed += 1
                print(f"FAIL {where}")
                if update:
                    print(f"  (not updated: {'its output elides lines' if '...' in expected else 'wrong exit status'})")
                for problem in problems:
                    print("  " + problem.replace("\n", "\n  "))
                if p.stderr:
                    print("  stderr:\n    " + p.stderr.rstrip("\n").replace("\n", "\n    "))
            else:
                print(f"ok   {where}")
            # later lines of the same line number are later commands of the block
            lineno += 1 + len(expected)
    if edits:
        rewrite(path, edits)
    return run, failed


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cleave", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--update", action="store_true")
    ap.add_argument("files", nargs="*")
    a = ap.parse_args()
    update = a.update or os.environ.get("CLEAVE_UPDATE_GOLDEN") == "1"
    source = os.path.abspath(a.source)
    cleave = os.path.abspath(a.cleave)
    files = a.files or [os.path.join(source, "README.md")] + sorted(
        glob.glob(os.path.join(source, "docs", "*.md")))
    total = failures = 0
    for path in files:
        name = os.path.splitext(os.path.relpath(path, source))[0].replace(os.sep, "_")
        run, failed = check_file(path, cleave, source, os.path.join(os.path.abspath(a.work), name),
                                 update)
        total += run
        failures += failed
    print(f"readme_samples: {total} commands, {failures} wrong")
    if total == 0:
        print("readme_samples: no sample found (a fenced block starting with '$ cleave ')")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
