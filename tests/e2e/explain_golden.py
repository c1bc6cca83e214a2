#!/usr/bin/env python3
"""explain_golden.py - golden tests of `cleave explain`.

The demo's golden graph (fixtures/demo/expected.json) is planned with its
boundaries pinned by fixtures/demo/explain/cleave.json, so the plan, and so
the explanations, do not move when the clustering does; fixtures/odd_names
is scanned and planned as it is (file names with spaces, quotes and UTF-8).
Each case runs `cleave explain ARGS` and compares stdout (and the exit
status, and stderr for a failure) with fixtures/<fixture>/explain/<case>.txt.
"Why here" shows the reason the plan records (its "placement",
docs/plan-json.md): the demo's pins, odd_names' folders.  The "older"
cases read a copy of the plan without "placement", as a cleave made before
it was recorded wrote it, and show what explain says then.

usage: explain_golden.py --cleave BIN --source DIR --work DIR
With CLEAVE_UPDATE_GOLDEN=1 the outputs replace the golden files (review
git diff).  Exit 1 with a diff per wrong case.
"""
import argparse
import difflib
import json
import os
import shutil
import subprocess
import sys

# (fixture, case, plan: "plan" or "older", explain arguments, exit status)
CASES = [
    ("demo", "function", "plan", ["orders_cmd_checkout"], 0),
    ("demo", "function_api", "plan", ["function:orders_init"], 0),
    ("demo", "static_id", "plan", ["src/net/dispatch.c:lookup"], 0),
    ("demo", "service", "plan", ["service:orders"], 0),
    ("demo", "library", "plan", ["util"], 0),
    ("demo", "file", "plan", ["file:src/net/dispatch.c"], 0),
    ("demo", "global", "plan", ["global:server.currency"], 0),
    ("demo", "older_function", "older", ["orders_cmd_checkout"], 0),
    ("demo", "older_service", "older", ["orders"], 0),
    ("demo", "not_found", "plan", ["no_such_name"], 2),
    ("demo", "wrong_kind", "plan", ["service:orders_init"], 2),
    ("odd_names", "utf8_file", "plan", ["file:\u00fcn\u00ef/\u65e5\u672c.c"], 0),
    ("odd_names", "quoted_file", "plan", ["file:my dir/quote\"d.c"], 0),
]


def run(cmd, cwd):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def older(plan_path, out_path):
    """A copy of the plan without its placement, as an older cleave wrote it."""
    with open(plan_path, encoding="utf-8") as f:
        plan = json.load(f)
    if "placement" not in plan:
        raise SystemExit("FAIL: %s records no placement" % plan_path)
    del plan["placement"]
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(plan, f, indent=1, ensure_ascii=False)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cleave", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--work", required=True)
    a = ap.parse_args()
    update = os.environ.get("CLEAVE_UPDATE_GOLDEN") == "1"
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    plans = {}
    made = {
        "demo": [a.cleave, "plan", "-q", "--graph", "fixtures/demo/expected.json", "--config",
                 "fixtures/demo/explain/cleave.json", "--no-render", "--no-report",
                 "-o", os.path.join(a.work, "demo")],
        "odd_names": [a.cleave, "plan", "-q", "fixtures/odd_names", "--cache-dir",
                      os.path.join(a.work, "cache"), "--no-render", "--no-report",
                      "-o", os.path.join(a.work, "odd_names")],
    }
    for fixture, cmd in made.items():
        rc, out, err = run(cmd, a.source)
        if rc != 0:
            print("FAIL: %s exited %d\n%s" % (" ".join(cmd), rc, err))
            return 1
        plans[(fixture, "plan")] = os.path.join(a.work, fixture, "plan.json")
        older(plans[(fixture, "plan")], os.path.join(a.work, fixture, "older.json"))
        plans[(fixture, "older")] = os.path.join(a.work, fixture, "older.json")
    fails = 0
    for fixture, case, which, args, want in CASES:
        cmd = [a.cleave, "explain"] + args + ["--plan", plans[(fixture, which)]]
        rc, out, err = run(cmd, a.source)
        text = out if rc == 0 else "exit %d\n%s" % (rc, err)
        golden = os.path.join(a.source, "fixtures", fixture, "explain", case + ".txt")
        if rc != want:
            print("FAIL %s/%s: exit %d, want %d\n%s" % (fixture, case, rc, want, err))
            fails += 1
            continue
        if update:
            with open(golden, "w", encoding="utf-8") as f:
                f.write(text)
            print("updated", golden)
            continue
        try:
            with open(golden, encoding="utf-8") as f:
                expected = f.read()
        except FileNotFoundError:
            print("FAIL %s/%s: %s is missing (CLEAVE_UPDATE_GOLDEN=1 writes it)" % (fixture, case, golden))
            fails += 1
            continue
        if text != expected:
            print("FAIL %s/%s: cleave %s" % (fixture, case, " ".join(cmd[1:])))
            sys.stdout.writelines(difflib.unified_diff(expected.splitlines(True), text.splitlines(True),
                                                       golden, "output"))
            fails += 1
    print("%d passed, %d failed" % (len(CASES) - fails, fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
