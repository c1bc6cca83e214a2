#!/usr/bin/env python3
"""explain_golden.py - golden tests of `cleave explain`.

Each plan of PLANS is made once: the demo's golden graph
(fixtures/demo/expected.json) with its boundaries pinned by
fixtures/demo/explain/cleave.json, so the plan, and so the explanations, do
not move when the clustering does; the same graph at --granularity
function, merged down to --services 4, and under keep_together/keep_apart
rules (fixtures/demo/explain/rules.json); fixtures odd_names (file names
with spaces, quotes and UTF-8), plan_layers and plan_plugins scanned and
planned as they are.  Each case runs `cleave explain ARGS` on one of them
and compares stdout (and the exit status, and stderr for a failure) with
fixtures/<fixture>/explain/<case>.txt.
"Why here" shows the reason the plan records (its "placement",
docs/plan-json.md): between them the cases show every reason code the
planner gives (REASONS below; the test fails when one is not shown, so a
new code needs a case).  The "older" variant of a plan is a copy without
"placement", as a cleave made before it was recorded wrote it; the
"unknown" variant gives one function a code this cleave does not know,
which is shown as it is.

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

# The plans: name -> (fixture the goldens live in, `cleave plan` arguments
# after the input; "{work}" is the work folder).
DEMO = ["--graph", "fixtures/demo/expected.json"]
PLANS = {
    "demo": ("demo", DEMO + ["--config", "fixtures/demo/explain/cleave.json"]),
    "demo_fn": ("demo", DEMO + ["--granularity", "function"]),
    "demo_merged": ("demo", DEMO + ["--services", "4"]),
    "demo_rules": ("demo", DEMO + ["--config", "fixtures/demo/explain/rules.json"]),
    "odd_names": ("odd_names", ["fixtures/odd_names", "--cache-dir", "{work}/cache"]),
    "plan_layers": ("plan_layers", ["fixtures/plan_layers", "--cache-dir", "{work}/cache"]),
    "plan_plugins": ("plan_plugins", ["fixtures/plan_plugins", "--cache-dir", "{work}/cache"]),
}

# The reason codes of docs/plan-json.md#placement the cases must show.
REASONS = {"folder", "layer", "module", "library", "infrastructure", "program", "trigger",
           "shared", "pin", "rule", "fragment", "merged", "plugin"}
UNKNOWN = "a_reason_from_a_newer_cleave"

# (plan, case, variant: "plan", "older" or "unknown", explain arguments, exit status)
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
    ("demo", "unknown_reason", "unknown", ["orders_cmd_checkout"], 0),
    ("demo", "not_found", "plan", ["no_such_name"], 2),
    ("demo", "wrong_kind", "plan", ["service:orders_init"], 2),
    ("demo_fn", "fn_trigger", "plan", ["admin_cmd_config"], 0),
    ("demo_fn", "fn_shared", "plan", ["catalog_count"], 0),
    ("demo_fn", "fn_fragment", "plan", ["billing_refund"], 0),
    ("demo_merged", "merged_function", "plan", ["billing_charge"], 0),
    ("demo_merged", "merged_service", "plan", ["service:util+orders"], 0),
    ("demo_rules", "rule_together", "plan", ["orders_cmd_checkout"], 0),
    ("demo_rules", "rule_apart", "plan", ["orders_shutdown"], 0),
    ("odd_names", "utf8_file", "plan", ["file:\u00fcn\u00ef/\u65e5\u672c.c"], 0),
    ("odd_names", "quoted_file", "plan", ["file:my dir/quote\"d.c"], 0),
    ("plan_layers", "layer", "plan", ["api_call"], 0),
    ("plan_layers", "module", "plan", ["base_print"], 0),
    ("plan_layers", "library", "plan", ["xmem_alloc"], 0),
    ("plan_layers", "program", "plan", ["main"], 0),
    ("plan_plugins", "plugin", "plan", ["echo_handle"], 0),
    ("plan_plugins", "folder", "plan", ["server_run"], 0),
    ("plan_plugins", "infrastructure", "plan", ["store_put"], 0),
    ("plan_plugins", "service", "plan", ["service:server"], 0),
    ("plan_plugins", "older_plugin", "older", ["echo_handle"], 0),
]


def run(cmd, cwd):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8")


def variant(plan_path, which, out_path):
    """A copy of the plan without its placement ("older", as an older cleave
    wrote it) or with orders_cmd_checkout's reason a code this cleave does
    not know ("unknown")."""
    with open(plan_path, encoding="utf-8") as f:
        plan = json.load(f)
    if "placement" not in plan:
        raise SystemExit("FAIL: %s records no placement" % plan_path)
    if which == "older":
        del plan["placement"]
    else:
        for row in plan["placement"]:
            if row["function"] == "orders_cmd_checkout":
                row["reason"] = UNKNOWN
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(plan, f, indent=1, ensure_ascii=False)


def shown_reasons(text):
    """The reason codes a function's explanation shows."""
    return {line.split("why here: ", 1)[1].split(":", 1)[0]
            for line in text.splitlines() if line.startswith("  why here: ")}


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
    for name, (fixture, args) in PLANS.items():
        out = os.path.join(a.work, name)
        cmd = [a.cleave, "plan", "-q"] + [x.replace("{work}", a.work) for x in args] + \
            ["--no-render", "--no-report", "-o", out]
        rc, _, err = run(cmd, a.source)
        if rc != 0:
            print("FAIL: %s exited %d\n%s" % (" ".join(cmd), rc, err))
            return 1
        plans[(name, "plan")] = os.path.join(out, "plan.json")
        for which in ("older", "unknown"):
            plans[(name, which)] = os.path.join(out, which + ".json")
            variant(plans[(name, "plan")], which, plans[(name, which)])
    fails = 0
    shown = set()
    for name, case, which, args, want in CASES:
        fixture = PLANS[name][0]
        cmd = [a.cleave, "explain"] + args + ["--plan", plans[(name, which)]]
        rc, out, err = run(cmd, a.source)
        text = out if rc == 0 else "exit %d\n%s" % (rc, err)
        shown |= shown_reasons(text)
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
    missing = REASONS - shown
    if missing:
        print("FAIL: no case shows the reason%s %s" % ("s" if len(missing) > 1 else "",
                                                     ", ".join(sorted(missing))))
        fails += 1
    if UNKNOWN not in shown:
        print("FAIL: the unknown reason %s is not shown as it is" % UNKNOWN)
        fails += 1
    print("%d passed, %d failed" % (len(CASES) + 2 - fails, fails))
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
