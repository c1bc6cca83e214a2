#!/usr/bin/env python3
"""plan_score.py - a cleave plan's architecture figures, and how close its
file partition is to a reference decomposition, by MoJoFM on the files both
contain.

    plan_score.py --plan PLAN.json --out DIR [--layer PATH]... [--require-linked]
                  [--max-known-icp X] [--costs-differ]
                  [--reference FILE | --decomposition README.md] [--mojofm mojofm.py]
                  [--cleave PATH] [--db compile_commands.json] [--target T] [--misses]

Figures of any plan: its components by kind, the plan metrics, interface
call sites, ICP and services on cycles over direct and field calls (known)
and over all calls (with type-only may-calls), the library layer, the plan's
notes, the verdicts against the kinds, the spread of trace depths and of
the fitness costs across components.  --layer PATH (a file, or a folder's
files) says which components, of which kind, hold those files; with
--require-linked, all must be libraries.  --max-known-icp X requires the
ICP over direct + field calls below X, --costs-differ some cost figure that
differs across components.

With a reference: the plan's services[].files are written to DIR/plan.rsf,
the same files one cluster per directory to DIR/dirs.rsf and all in one
cluster to DIR/one.rsf (the baselines), and a README's ```decomposition
block (service: files) to DIR/reference.rsf; each is then read back with the
independent reference implementation ../shared/tools/mojofm.py (its loader
and its MoJoFM), so that `mojofm.py DIR/plan.rsf REFERENCE` reproduces the
figure by hand.  With --cleave, `cleave compare` scores the plan too when
the binary has that subcommand, and the two must agree.  --db adds a
baseline: one cluster per directory of the files that database compiles
(paths taken relative to its directory).  --misses lists the files the plan
and the reference disagree on: those in a plan component mostly made of
another reference component, and those apart from the plan component that
holds most of their reference component.

Exit status: 0; 1 when a target is missed (--target, --require-linked,
--max-known-icp, --costs-differ) or cleave compare disagrees with mojofm.py; 2 on bad
input.
"""
import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
from collections import Counter, defaultdict


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


KIND_ORDER = ["service", "function", "library", "program"]


def kinds_line(plan):
    """'8 services, 1 library': the components by kind."""
    kinds = Counter(s["kind"] for s in plan["services"])
    order = KIND_ORDER + sorted(k for k in kinds if k not in KIND_ORDER)
    plural = {"library": "libraries"}
    return ", ".join("%d %s" % (kinds[k], k if kinds[k] == 1 else plural.get(k, k + "s"))
                     for k in order if kinds[k])


def interface_sites(plan):
    """Cross-service call sites by evidence, summed over interfaces[]."""
    total = Counter()
    for i in plan["interfaces"]:
        total.update(i.get("sites_by_evidence", {"direct": i["sites"]}))
    return total


def number(value):
    """A figure as the plan rounds it (four decimals at most), never in
    exponent notation."""
    return ("%.4f" % value).rstrip("0").rstrip(".")


def spread(values):
    """min, median and max of numbers, and how many differ."""
    return "min %s, median %s, max %s (%d distinct)" % (
        number(min(values)), number(statistics.median(values)), number(max(values)),
        len(set(values)))


def architecture(plan):
    """The figures any plan gets, with or without a reference; whether the
    components' costs differ."""
    m = plan["metrics"]
    services = plan["services"]
    print("plan: %d components (%s), %d files" % (len(services), kinds_line(plan),
                                                   len(plan_pairs(plan))))
    print("plan metrics: modularity %.4f, MQ %.4f, SM %.4f, ICP %.4f, IFN %.2f, NED %.4f, "
          "cross-service call sites %d, shared state %d"
          % (m["modularity"], m["mq"], m["sm"], m["icp"], m["ifn"], m["ned"],
             m["cross_service_sites"], m["shared_state"]))
    known = m.get("known_calls")
    if known is not None:
        remote = sum(1 for s in services if s["kind"] != "library")
        print("direct + field calls: ICP %.4f, cross-service sites %d, components on cycles %d; "
              "all calls: ICP %.4f, sites %d, on cycles %d (of %d non-library components)"
              % (known["icp"], known["cross_service_sites"], known["cycle_services"], m["icp"],
                 m["cross_service_sites"], m["cycle_services"], remote))
    sites = interface_sites(plan)
    print("interfaces: %d, their sites by evidence: %s"
          % (len(plan["interfaces"]),
             ", ".join("%s %d" % (k, sites[k]) for k in sorted(sites)) or "none"))
    libraries = [s for s in services if s["kind"] == "library"]
    if libraries:
        print("library layer: %d files in %s"
              % (sum(len(s["files"]) for s in libraries),
                 ", ".join("%s (%d)" % (s["name"], len(s["files"])) for s in libraries)))
    else:
        print("library layer: none")
    for note in plan.get("notes", []):
        print("note: %s" % note)
    verdicts = Counter(s["fitness"]["recommendation"] for s in services)
    apart = [s["name"] for s in services
             if s["kind"] != "program" and s["fitness"]["recommendation"] != s["kind"]]
    print("verdicts: %s; %d of the non-program components' verdicts differ from their kind%s"
          % (", ".join("%s %d" % kv for kv in sorted(verdicts.items())), len(apart),
             " (%s)" % ", ".join(apart) if apart else ""))
    remote = [s["fitness"] for s in services if s["kind"] not in ("library", "program")]
    if remote:
        print("trace depth over direct + field calls: %s" % spread([f["trace_depth"] for f in remote]))
        if all("trace_depth_with_may_calls" in f for f in remote):
            print("trace depth with may-calls: %s"
                  % spread([f["trace_depth_with_may_calls"] for f in remote]))
    costs = [s["fitness"]["cost"] for s in services if s["fitness"].get("cost")]
    differ = False
    for key in sorted({k for c in costs for k, v in c.items() if isinstance(v, (int, float))}):
        values = [c[key] for c in costs if isinstance(c.get(key), (int, float))]
        print("cost %s across %d components: %s" % (key, len(values), spread(values)))
        differ = differ or len(set(values)) > 1
    return differ


def layer(plan, prefix):
    """Which components hold the files at or under PREFIX; whether all of
    them are library components."""
    where = {f: s for s in plan["services"] for f in s["files"]}
    files = sorted(f for f in where if f == prefix or f.startswith(prefix.rstrip("/") + "/"))
    if not files:
        print("layer %s: no file of the plan" % prefix)
        return False
    holders = Counter((where[f]["name"], where[f]["kind"]) for f in files)
    linked = sum(n for (_, kind), n in holders.items() if kind == "library")
    print("layer %s: %d of %d files in library components; %s"
          % (prefix, linked, len(files),
             ", ".join("%s %s %d" % (kind, name, n)
                       for (name, kind), n in sorted(holders.items()))))
    return linked == len(files)


def majority(groups, label):
    """For each group of files, the label most of them have (ties: the first
    by name)."""
    top = {}
    for group, files in groups.items():
        counts = Counter(label[f] for f in files)
        most = max(counts.values())
        top[group] = min(c for c, n in counts.items() if n == most)
    return top


def misses(part, ref, common):
    """The files the plan and the reference disagree on: a file is a miss
    when its plan component is mostly of another reference component (the
    plan joins it with others), or when most of its reference component is
    in another plan component (the plan puts it apart)."""
    by_plan, by_ref = defaultdict(list), defaultdict(list)
    for f in common:
        by_plan[part[f]].append(f)
        by_ref[ref[f]].append(f)
    plan_tag = majority(by_plan, ref)
    ref_home = majority(by_ref, part)
    missed = sorted(f for f in common
                    if plan_tag[part[f]] != ref[f] or ref_home[ref[f]] != part[f])
    for f in missed:
        print("miss: %s: reference %s (most of it in %s), plan %s (mostly %s)"
              % (f, ref[f], ref_home[ref[f]], part[f], plan_tag[part[f]]))
    print("misses: %d of %d common files" % (len(missed), len(common)))


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
    ap.add_argument("--mojofm", help="path of ../shared/tools/mojofm.py (with a reference)")
    ap.add_argument("--out", required=True, help="directory for the RSF files")
    ref = ap.add_mutually_exclusive_group()
    ref.add_argument("--reference", help="RSF or clustering JSON")
    ref.add_argument("--decomposition", help="a Markdown file with a ```decomposition block")
    ap.add_argument("--cleave", help="score with `cleave compare` too, when it has it")
    ap.add_argument("--db", help="also score one cluster per directory of these compiled files")
    ap.add_argument("--target", type=float, help="required MoJoFM of the plan")
    ap.add_argument("--layer", action="append", default=[],
                    help="a file or folder: which components hold its files")
    ap.add_argument("--require-linked", action="store_true",
                    help="fail unless every --layer is wholly in library components")
    ap.add_argument("--max-known-icp", type=float,
                    help="fail unless the ICP over direct + field calls is below this")
    ap.add_argument("--costs-differ", action="store_true",
                    help="fail unless the components' costs differ")
    ap.add_argument("--misses", action="store_true",
                    help="list the files the plan and the reference disagree on")
    args = ap.parse_args()

    try:
        with open(args.plan) as f:
            plan = json.load(f)
        if plan.get("schema") != "cleave.plan/1":
            fail("%s: not a cleave plan (schema %r)" % (args.plan, plan.get("schema")))
        costs_differ = architecture(plan)
        status = 0
        if args.costs_differ and not costs_differ:
            print("FAIL: every component has the same costs")
            status = 1
        for prefix in args.layer:
            if not layer(plan, prefix) and args.require_linked:
                print("FAIL: %s is not wholly in library components" % prefix)
                status = 1
        if args.max_known_icp is not None:
            icp = plan["metrics"]["known_calls"]["icp"]
            verdict = "PASS" if icp < args.max_known_icp else "FAIL"
            print("%s: ICP over direct + field calls %.4f, target below %.2f"
                  % (verdict, icp, args.max_known_icp))
            if verdict == "FAIL":
                status = 1
        if not args.reference and not args.decomposition:
            return status
        if not args.mojofm:
            fail("a reference needs --mojofm")

        mojofm = load_module(args.mojofm)
        os.makedirs(args.out, exist_ok=True)
        plan_rsf = os.path.join(args.out, "plan.rsf")
        dirs_rsf = os.path.join(args.out, "dirs.rsf")
        one_rsf = os.path.join(args.out, "one.rsf")
        write_rsf(plan_rsf, plan_pairs(plan), args.plan)
        write_rsf(dirs_rsf, directory_pairs([f for _, f in plan_pairs(plan)]), args.plan)
        write_rsf(one_rsf, [("all", f) for _, f in plan_pairs(plan)], args.plan)
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
        together = mojofm.mojofm(mojofm.load(one_rsf), ref)
        print("reference: %s (%d files, %d clusters)"
              % (reference, len(ref), len(set(ref.values()))))
        print("common files: %d of the plan's %d" % (len(common), len(part)))
        print("clusters on the common files: plan %d, one per directory %d, reference %d"
              % (clusters_on(part, common), clusters_on(dirs, common), clusters_on(ref, common)))
        print("MoJoFM (mojofm.py):      cleave %.4f   one cluster per directory %.4f   "
              "one cluster %.4f" % (score, baseline, together))
        if args.db:
            compiled = dict((f, c) for c, f in directory_pairs(db_files(args.db)))
            print("MoJoFM (mojofm.py), one cluster per directory of the %d compiled files: "
                  "%.4f on %d common files"
                  % (len(compiled), mojofm.mojofm(compiled, ref),
                     len([f for f in compiled if f in ref])))

        if args.misses:
            misses(part, ref, common)

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
