#!/usr/bin/env python3
"""plan_score.py - how close a cleave plan's file partition is to a reference
decomposition, by MoJoFM on the files both contain.

    plan_score.py --plan PLAN.json --mojofm mojofm.py --out DIR
                  [--reference FILE | --decomposition README.md]
                  [--cleave PATH] [--db compile_commands.json] [--target T]

The plan's services[].files are written to DIR/plan.rsf, the same files one
cluster per directory to DIR/dirs.rsf (the baseline), and a README's
```decomposition block (service: files) to DIR/reference.rsf; each is then
read back with the independent reference implementation
../shared/tools/mojofm.py (its loader and its MoJoFM), so that
`mojofm.py DIR/plan.rsf REFERENCE` reproduces the figure by hand.  With
--cleave, `cleave compare` scores the plan too when the binary has that
subcommand, and the two must agree.  --db adds a second baseline: one
cluster per directory of the files that database compiles (paths taken
relative to its directory).  Without a reference only the plan's metrics
are printed.

Exit status: 0; 1 when MoJoFM is below --target or cleave compare
disagrees with mojofm.py; 2 on bad input.
"""
import argparse
import importlib.util
import json
import os
import subprocess
import sys


def fail(msg):
    sys.stderr.write("plan_score: %s\n" % msg)
    sys.exit(2)


def load_module(path):
    spec = importlib.util.spec_from_file_location("mojofm", path)
    if spec is None:
        fail("%s: not a Python module" % path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def plan_pairs(plan):
    return [(s["name"], f) for s in plan["services"] for f in s["files"]]


def decomposition_pairs(path):
    pairs, inside = [], False
    with open(path) as f:
        for n, line in enumerate(f, 1):
            text = line.strip()
            if text.startswith("```"):
                if inside:
                    return pairs
                inside = text == "```decomposition"
            elif inside and text:
                name, sep, files = text.partition(":")
                if not sep or not name.strip():
                    fail("%s:%d: expected 'service: file...'" % (path, n))
                pairs += [(name.strip(), f) for f in files.split()]
    fail("%s: no closed ```decomposition block" % path)


def directory_pairs(files):
    return [(os.path.dirname(f) or ".", f) for f in files]


def db_files(path):
    """The files a compile database compiles, relative to its directory."""
    root = os.path.dirname(os.path.abspath(path))
    with open(path) as f:
        entries = json.load(f)
    files = set()
    for e in entries:
        name = os.path.join(e.get("directory", root), e["file"])
        files.add(os.path.relpath(os.path.normpath(name), root))
    return sorted(files)


def write_rsf(path, pairs, what):
    """One 'contain' line per file; a file in two clusters is a bad partition."""
    seen = {}
    with open(path, "w") as out:
        for cluster, f in pairs:
            if f in seen:
                fail("%s: %s is in both %s and %s" % (what, f, seen[f], cluster))
            if any(c.isspace() for c in cluster + f):
                fail("%s: a blank in %r or %r cannot be written as RSF" % (what, cluster, f))
            seen[f] = cluster
            out.write("contain %s %s\n" % (cluster, f))


def clusters_on(part, files):
    return len({part[f] for f in files})


def cleave_compare(cleave, plan_path, reference):
    """MoJoFM(plan, reference) by `cleave compare`, or None without it."""
    if subprocess.run([cleave, "compare", "--help"], stdout=subprocess.DEVNULL,
                      stderr=subprocess.DEVNULL).returncode != 0:
        return None
    run = subprocess.run([cleave, "compare", plan_path, reference, "--format", "json"],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    if run.returncode != 0:
        fail("cleave compare %s %s failed (%d): %s"
             % (plan_path, reference, run.returncode, run.stderr.strip()))
    result = json.loads(run.stdout)
    return result["mojofm"]["a_vs_b"], result["common_files"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--plan", required=True)
    ap.add_argument("--mojofm", required=True, help="path of ../shared/tools/mojofm.py")
    ap.add_argument("--out", required=True, help="directory for the RSF files")
    ref = ap.add_mutually_exclusive_group()
    ref.add_argument("--reference", help="RSF or clustering JSON")
    ref.add_argument("--decomposition", help="a Markdown file with a ```decomposition block")
    ap.add_argument("--cleave", help="score with `cleave compare` too, when it has it")
    ap.add_argument("--db", help="also score one cluster per directory of these compiled files")
    ap.add_argument("--target", type=float, help="required MoJoFM of the plan")
    args = ap.parse_args()

    try:
        with open(args.plan) as f:
            plan = json.load(f)
        if plan.get("schema") != "cleave.plan/1":
            fail("%s: not a cleave plan (schema %r)" % (args.plan, plan.get("schema")))
        m = plan["metrics"]
        kinds = [s["kind"] for s in plan["services"]]
        print("plan: %d components (%d services, %d functions, %d libraries), %d files"
              % (len(kinds), kinds.count("service"), kinds.count("function"),
                 kinds.count("library"), len(plan_pairs(plan))))
        print("plan metrics: modularity %.4f, MQ %.4f, SM %.4f, ICP %.4f, IFN %.2f, NED %.4f, "
              "cross-service call sites %d, shared state %d"
              % (m["modularity"], m["mq"], m["sm"], m["icp"], m["ifn"], m["ned"],
                 m["cross_service_sites"], m["shared_state"]))
        if not args.reference and not args.decomposition:
            return 0

        mojofm = load_module(args.mojofm)
        os.makedirs(args.out, exist_ok=True)
        plan_rsf = os.path.join(args.out, "plan.rsf")
        dirs_rsf = os.path.join(args.out, "dirs.rsf")
        write_rsf(plan_rsf, plan_pairs(plan), args.plan)
        write_rsf(dirs_rsf, directory_pairs([f for _, f in plan_pairs(plan)]), args.plan)
        reference = args.reference
        if args.decomposition:
            reference = os.path.join(args.out, "reference.rsf")
            write_rsf(reference, decomposition_pairs(args.decomposition), args.decomposition)
        ref = mojofm.load(reference)
        part = mojofm.load(plan_rsf)
        dirs = mojofm.load(dirs_rsf)
        common = [f for f in part if f in ref]
        score = mojofm.mojofm(part, ref)
        baseline = mojofm.mojofm(dirs, ref)
        print("reference: %s (%d files, %d clusters)"
              % (reference, len(ref), len(set(ref.values()))))
        print("common files: %d of the plan's %d" % (len(common), len(part)))
        print("clusters on the common files: plan %d, one per directory %d, reference %d"
              % (clusters_on(part, common), clusters_on(dirs, common), clusters_on(ref, common)))
        print("MoJoFM (mojofm.py):      cleave %.4f   one cluster per directory %.4f"
              % (score, baseline))
        if args.db:
            compiled = dict((f, c) for c, f in directory_pairs(db_files(args.db)))
            print("MoJoFM (mojofm.py), one cluster per directory of the %d compiled files: "
                  "%.4f on %d common files"
                  % (len(compiled), mojofm.mojofm(compiled, ref),
                     len([f for f in compiled if f in ref])))

        status = 0
        if args.cleave:
            got = cleave_compare(args.cleave, args.plan, reference)
            if got is None:
                print("MoJoFM (cleave compare): not in this build")
            else:
                theirs, n = got
                print("MoJoFM (cleave compare): cleave %.4f on %d common files" % (theirs, n))
                if abs(theirs - score) > 1e-9 or n != len(common):
                    print("MISMATCH: cleave compare says %.6f on %d files, mojofm.py %.6f on %d"
                          % (theirs, n, score, len(common)))
                    status = 1
        if args.target is not None:
            verdict = "PASS" if score >= args.target else "FAIL"
            print("%s: MoJoFM %.4f, target %.2f" % (verdict, score, args.target))
            if verdict == "FAIL":
                status = 1
        return status
    except (OSError, ValueError, KeyError, TypeError) as e:
        fail("%s" % e)


if __name__ == "__main__":
    sys.exit(main())
