#!/usr/bin/env python3
"""schemas.py - the published JSON Schemas (docs/*.schema.json) against
every JSON file cleave writes or reads in the tests.

- Each schema is a valid draft 2020-12 schema with its $id, title and a
  $comment saying how to extend it, and cmake/CleaveInstall.cmake installs
  exactly the schemas docs/ holds, which docs/schemas.md lists.
- Valid, each against its schema: every fixtures/*/expected.json and
  expected_build.json (graph, scanned with a database in build/),
  every expected_plan.json and the plans of check_bad and check_clean
  (plan), every fixtures/*/cleave.json and the full example of
  docs/config.md (cleave.json), check_bad's JSON report (check); and
  made now by CLEAVE: a plan of fixtures/demo with the graph it used, the
  plan and starter cleave.json of `cleave init`, a baseline of check_bad,
  a JSON report with baselined and stale entries, two `cleave compare`
  results (with and without common files).
- Invalid: each kind of file with an unknown key added at the top and in a
  nested record, and with a wrong enum value, must be rejected, so the
  schemas are as closed as they claim.
- The rule ids of baseline.schema.json and check.schema.json are the
  severity keys of cleave.schema.json.

The binary facts files (cache entries, `scan --shard` files) have no JSON
form and no schema; docs/schemas.md says why.

Needs python3-jsonschema (Debian's /usr/bin/python3; `make deps`).
usage: schemas.py --cleave BIN --source DIR --work DIR
"""
import copy
import glob
import json
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2elib import arguments, fail, failures  # noqa: E402

try:
    import jsonschema
except ImportError:
    sys.exit("schemas.py: no jsonschema module: install python3-jsonschema (make deps) "
             "and run /usr/bin/python3")

SCHEMAS = {
    "graph": "graph.schema.json",
    "plan": "plan.schema.json",
    "config": "cleave.schema.json",
    "baseline": "baseline.schema.json",
    "check": "check.schema.json",
    "compare": "compare.schema.json",
}
def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def validators(src):
    out = {}
    for kind, name in SCHEMAS.items():
        schema = load(os.path.join(src, "docs", name))
        cls = jsonschema.validators.validator_for(schema)
        if cls is not jsonschema.Draft202012Validator:
            fail(f"docs/{name}: not a draft 2020-12 schema")
        cls.check_schema(schema)
        if schema.get("$id") != "https://cleave.invalid/" + name:
            fail(f"docs/{name}: $id is not https://cleave.invalid/{name}")
        for key in ("title", "description", "$comment"):
            if not schema.get(key):
                fail(f"docs/{name}: no {key}")
        out[kind] = cls(schema, format_checker=cls.FORMAT_CHECKER)
    return out


def errors(v, doc):
    return ["/" + "/".join(map(str, e.absolute_path)) + ": " + e.message
            for e in sorted(v.iter_errors(doc), key=lambda e: list(map(str, e.absolute_path)))]


def valid(vs, kind, doc, what):
    errs = errors(vs[kind], doc)
    for e in errs[:5]:
        fail(f"{what} ({SCHEMAS[kind]}): {e}")
    return not errs


def invalid(vs, kind, doc, what):
    if not errors(vs[kind], doc):
        fail(f"{SCHEMAS[kind]} accepts {what}")


def records(doc):
    """The first object inside doc (breadth first): a nested record."""
    stack = [doc]
    while stack:
        x = stack.pop(0)
        for v in (x.values() if isinstance(x, dict) else x):
            if isinstance(v, dict):
                return v
            if isinstance(v, list):
                stack.append(v)
    return None


def strictness(vs, kind, doc, enum_path, what):
    """doc is valid; versions of it with an unknown key at the top, an
    unknown key in a nested record, and a wrong enum value must not be."""
    bad = copy.deepcopy(doc)
    bad["no_such_key"] = 1
    invalid(vs, kind, bad, f"an unknown top-level key in {what}")
    bad = copy.deepcopy(doc)
    rec = records(bad)
    if rec is None:
        fail(f"{what}: no nested record to test")
    else:
        rec["no_such_key"] = 1
        invalid(vs, kind, bad, f"an unknown key in a record of {what}")
    bad = copy.deepcopy(doc)
    x = bad
    for k in enum_path[:-1]:
        x = x[k]
    x[enum_path[-1]] = "no-such-value"
    invalid(vs, kind, bad, f"{'/'.join(map(str, enum_path))} = no-such-value in {what}")


def run(cmd, want=(0,), **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if p.returncode not in want:
        fail(f"exit {p.returncode}: {' '.join(cmd)}\n{p.stderr}")
    return p


def main():
    a = arguments("cleave", "source", "work")
    src, work, cleave = a.source, a.work, a.cleave
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    vs = validators(src)
    counts = {k: 0 for k in SCHEMAS}

    def check(kind, path, what=None):
        doc = load(path)
        counts[kind] += 1
        valid(vs, kind, doc, what or os.path.relpath(path, src))
        return doc

    # every schema in docs/ is installed and listed in docs/schemas.md
    in_docs = sorted(os.path.basename(p) for p in glob.glob(os.path.join(src, "docs", "*.schema.json")))
    with open(os.path.join(src, "cmake", "CleaveInstall.cmake"), encoding="utf-8") as f:
        installed = sorted(set(re.findall(r"docs/([a-z]+\.schema\.json)", f.read())))
    with open(os.path.join(src, "docs", "schemas.md"), encoding="utf-8") as f:
        listed = sorted(set(re.findall(r"\(([a-z]+\.schema\.json)\)", f.read())))
    if not (in_docs == installed == listed == sorted(SCHEMAS.values())):
        fail(f"schemas in docs/ {in_docs}, installed by cmake/CleaveInstall.cmake {installed}, "
             f"listed in docs/schemas.md {listed}, tested here {sorted(SCHEMAS.values())}: "
             "they must be the same")

    # one list of rule ids
    rules = sorted(load(os.path.join(src, "docs", "cleave.schema.json"))
                   ["properties"]["severity"]["properties"])
    for kind, ptr in (("baseline", ["$defs", "rule", "enum"]),
                      ("check", ["properties", "findings", "items", "properties", "rule", "enum"])):
        x = vs[kind].schema
        for k in ptr:
            x = x[k]
        if sorted(x) != rules:
            fail(f"{SCHEMAS[kind]}: rule ids {sorted(x)} are not cleave.schema.json's {rules}")

    # files in the tree
    fx = os.path.join(src, "fixtures")
    graphs = sorted(glob.glob(os.path.join(fx, "*", "expected.json")) +
                    glob.glob(os.path.join(fx, "*", "expected_build.json")))
    plans = sorted(glob.glob(os.path.join(fx, "*", "expected_plan.json")) +
                   [os.path.join(fx, n, "plan.json") for n in ("check_bad", "check_clean")])
    configs = sorted(glob.glob(os.path.join(fx, "*", "cleave.json")))
    if len(graphs) < 10 or len(plans) < 5 or len(configs) < 5:
        fail(f"too few fixtures found under {fx}")
    for p in graphs:
        check("graph", p)
    for p in plans:
        check("plan", p)
    for p in configs:
        check("config", p)
    with open(os.path.join(src, "docs", "config.md"), encoding="utf-8") as f:
        example = re.search(r"```json\n(\{\n  \"\$schema\".*?)\n```", f.read(), re.S)
    if not example:
        fail("docs/config.md: its full example (a ```json block starting with \"$schema\") is gone")
    else:
        counts["config"] += 1
        valid(vs, "config", json.loads(example.group(1)), "docs/config.md's full example")
    check_report = check("check", os.path.join(fx, "check_bad", "expected", "json"))

    # files cleave makes now
    cache = ["--cache-dir", os.path.join(work, "cache")]
    run([cleave, "plan", "fixtures/demo", "-q", "--no-render", "-o", os.path.join(work, "plan"),
         *cache], cwd=src)
    demo_plan = check("plan", os.path.join(work, "plan", "plan.json"), "cleave plan fixtures/demo")
    demo_graph = check("graph", os.path.join(work, "plan", "graph.json"),
                       "the graph.json of cleave plan fixtures/demo")
    shutil.copytree(os.path.join(fx, "check_bad"), os.path.join(work, "bad"))
    run([cleave, "init", os.path.join(work, "bad"), "-q", "-o", os.path.join(work, "init"), *cache])
    init_plan = check("plan", os.path.join(work, "init", "plan.json"), "cleave init's plan.json")
    init_config = check("config", os.path.join(work, "init", "cleave.json"), "cleave init's cleave.json")
    base = os.path.join(work, "baseline.json")
    run([cleave, "check", os.path.join(work, "bad"), "-q", "--plan",
         os.path.join(work, "bad", "plan.json"), "--update-baseline", base, *cache])
    baseline = check("baseline", base, "a baseline of check_bad")
    # half the findings baselined, plus an entry no finding matches: stale
    part = {"schema": baseline["schema"],
            "findings": baseline["findings"][::2] + [{"key": "new-interface:gone->away"}]}
    with open(base, "w", encoding="utf-8") as f:
        json.dump(part, f)
    check("baseline", base, "a hand-trimmed baseline")
    report = os.path.join(work, "report.json")
    run([cleave, "check", os.path.join(work, "bad"), "-q", "--plan",
         os.path.join(work, "bad", "plan.json"), "--baseline", base, "--format", "json",
         "-o", report, *cache], want=(0, 1))
    r = check("check", report, "a check report with a baseline")
    if not (r["summary"]["baselined"] and r["stale"]):
        fail("the check report with a baseline has no baselined or no stale entry")
    cmp_json = os.path.join(work, "compare.json")
    run([cleave, "compare", os.path.join(fx, "check_bad", "plan.json"),
         os.path.join(work, "init", "plan.json"), "--format", "json", "-o", cmp_json])
    cmp_doc = check("compare", cmp_json, "cleave compare of two plans")
    if cmp_doc.get("a2a") is None:
        fail("cleave compare of two plans of check_bad: no a2a")
    rsf = os.path.join(work, "other.rsf")
    with open(rsf, "w", encoding="utf-8") as f:
        f.write("contain x no/such/file.c\n")
    run([cleave, "compare", os.path.join(work, "plan", "plan.json"), rsf, "--format", "json",
         "-o", cmp_json], want=(3,))
    if load(cmp_json)["a2a"] is not None:
        fail("cleave compare without common files: a2a is not null")
    check("compare", cmp_json, "cleave compare without common files")

    # the schemas are closed where the formats are
    strictness(vs, "graph", demo_graph, ["functions", 0, "linkage"], "the demo's graph")
    strictness(vs, "plan", demo_plan, ["services", 0, "fitness", "recommendation"], "the demo's plan")
    strictness(vs, "plan", init_plan, ["services", 0, "kind"], "cleave init's plan")
    strictness(vs, "config", init_config, ["severity", "new-interface"], "cleave init's cleave.json")
    strictness(vs, "baseline", baseline, ["findings", 0, "rule"], "a baseline")
    strictness(vs, "check", check_report, ["findings", 0, "severity"], "check_bad's report")
    strictness(vs, "compare", cmp_doc, ["a", "format"], "a compare result")
    # a plan cleave wrote has every key; one written by hand needs few
    bad = copy.deepcopy(demo_plan)
    del bad["services"][0]["loc"]
    invalid(vs, "plan", bad, "a written plan (with options) whose service lacks loc")
    hand = {"schema": "cleave.plan/1", "services": [{"name": "a", "kind": "service", "functions": []}]}
    valid(vs, "plan", hand, "a minimal hand-written plan")

    print("schemas: " + ", ".join(f"{n} {k}" for k, n in counts.items()) +
          f" files valid; {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
