#!/usr/bin/env python3
"""test_plan_score.py - tests plan_score.py on hand-made plans: the
architecture figures, --layer, the targets and their exit status, the
baselines and the misses against a small reference.  The tests with a
reference need ../shared/tools/mojofm.py (or MOJOFM=path).

Run: python3 bench/test_plan_score.py
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SCRIPT = os.path.join(HERE, "plan_score.py")
MOJOFM = os.environ.get("MOJOFM", os.path.join(os.path.dirname(os.path.dirname(HERE)),
                                               "shared", "tools", "mojofm.py"))


def component(name, kind, files, recommendation=None, cost=None, depth=1, may_depth=1):
    return {"name": name, "kind": kind, "files": files,
            "fitness": {"recommendation": recommendation or kind, "trace_depth": depth,
                        "trace_depth_with_may_calls": may_depth, "cost": cost}}


def plan(services, costs_differ=False):
    cost = {"service_month": 36.5, "function_month": 1.62, "cheaper": "function"}
    other = dict(cost, function_month=3.0 if costs_differ else 1.62)
    for s, c in zip((s for s in services if s["kind"] == "service"), (cost, other)):
        s["fitness"]["cost"] = c
    return {
        "schema": "cleave.plan/1",
        "metrics": {"services": 2, "modularity": 0.5, "mq": 1.0, "sm": 0.1, "icp": 0.4, "ifn": 2.0,
                    "ned": 0.5, "cross_service_sites": 10, "shared_state": 1, "cycle_services": 2,
                    "known_calls": {"icp": 0.3, "cross_service_sites": 6, "cycle_services": 0}},
        "services": services,
        "interfaces": [{"from": "a", "to": "b", "sites": 10,
                        "sites_by_evidence": {"direct": 5, "field": 1, "type": 4}}],
        "notes": ["platform: code in 3 of 4 files calls lib by name"],
    }


# The reference: x = {a1, a2, a3}, y = {b1, b2, b3}; the plan joins b1 with
# x's files and puts a3 apart, alone.
REFERENCE = "".join("contain %s %s\n" % pair for pair in
                    [("x", "src/a1.c"), ("x", "src/a2.c"), ("x", "src/a3.c"),
                     ("y", "lib/b1.c"), ("y", "lib/b2.c"), ("y", "lib/b3.c")])


def services():
    return [component("a", "service", ["src/a1.c", "src/a2.c", "lib/b1.c"], depth=3, may_depth=4),
            component("b", "service", ["lib/b2.c", "lib/b3.c"], recommendation="library"),
            component("tool", "program", ["src/a3.c"]),
            component("util", "library", ["src/util.c", "src/util.h"])]


NEEDS_MOJOFM = unittest.skipUnless(os.path.isfile(MOJOFM), "no mojofm.py at %s (set MOJOFM)" % MOJOFM)


class PlanScore(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.addCleanup(self.tmp.cleanup)

    def run_score(self, data, *args):
        path = os.path.join(self.tmp.name, "plan.json")
        with open(path, "w") as f:
            json.dump(data, f)
        run = subprocess.run([sys.executable, "-B", SCRIPT, "--plan", path,
                              "--out", os.path.join(self.tmp.name, "score")] + list(args),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        return run.returncode, run.stdout.splitlines(), run.stderr

    def reference(self):
        path = os.path.join(self.tmp.name, "reference.rsf")
        with open(path, "w") as f:
            f.write(REFERENCE)
        return path

    def test_figures(self):
        rc, out, _ = self.run_score(plan(services()))
        self.assertEqual(rc, 0)
        self.assertIn("plan: 4 components (2 services, 1 library, 1 program), 8 files", out)
        self.assertIn("direct + field calls: ICP 0.3000, cross-service sites 6, components on "
                      "cycles 0; all calls: ICP 0.4000, sites 10, on cycles 2 "
                      "(of 3 non-library components)", out)
        self.assertIn("interfaces: 1, their sites by evidence: direct 5, field 1, type 4", out)
        self.assertIn("library layer: 2 files in util (2)", out)
        self.assertIn("note: platform: code in 3 of 4 files calls lib by name", out)
        self.assertIn("verdicts: library 2, program 1, service 1; 1 of the non-program "
                      "components' verdicts differ from their kind (b)", out)
        self.assertIn("trace depth over direct + field calls: min 1, median 2, max 3 "
                      "(2 distinct)", out)
        self.assertIn("cost function_month across 2 components: min 1.62, median 1.62, "
                      "max 1.62 (1 distinct)", out)

    def test_layers_and_targets(self):
        rc, out, _ = self.run_score(plan(services()), "--layer", "src", "--layer", "src/util.c",
                                    "--layer", "none")
        self.assertEqual(rc, 0, "without --require-linked a layer is only reported")
        self.assertIn("layer src: 2 of 5 files in library components; service a 2, "
                      "program tool 1, library util 2", out)
        self.assertIn("layer src/util.c: 1 of 1 files in library components; library util 1", out)
        self.assertIn("layer none: no file of the plan", out)

        rc, out, _ = self.run_score(plan(services()), "--layer", "src/util.c", "--require-linked",
                                    "--max-known-icp", "0.35", "--costs-differ")
        self.assertEqual(rc, 1)
        self.assertIn("PASS: ICP over direct + field calls 0.3000, target below 0.35", out)
        self.assertIn("FAIL: every component has the same costs", out)

        rc, out, _ = self.run_score(plan(services(), costs_differ=True), "--layer", "src/util.c",
                                    "--require-linked", "--max-known-icp", "0.35",
                                    "--costs-differ")
        self.assertEqual(rc, 0, out)

        rc, out, _ = self.run_score(plan(services()), "--layer", "src", "--require-linked")
        self.assertEqual(rc, 1)
        self.assertIn("FAIL: src is not wholly in library components", out)

        rc, out, _ = self.run_score(plan(services()), "--max-known-icp", "0.3")
        self.assertEqual(rc, 1)
        self.assertIn("FAIL: ICP over direct + field calls 0.3000, target below 0.30", out)

    @NEEDS_MOJOFM
    def test_reference(self):
        ref = self.reference()
        rc, out, _ = self.run_score(plan(services()), "--reference", ref, "--mojofm", MOJOFM,
                                    "--misses", "--target", "0.5")
        self.assertEqual(rc, 0, out)
        self.assertIn("common files: 6 of the plan's 8", out)
        self.assertIn("clusters on the common files: plan 3, one per directory 2, reference 2", out)
        # MoJo: move b1 to y, join tool into a: 2 operations of at most 6 - 2.
        self.assertIn("MoJoFM (mojofm.py):      cleave 0.5000   one cluster per directory 1.0000   "
                      "one cluster 0.2500", out)
        self.assertIn("miss: lib/b1.c: reference y (most of it in b), plan a (mostly x)", out)
        self.assertIn("miss: src/a3.c: reference x (most of it in a), plan tool (mostly x)", out)
        self.assertIn("misses: 2 of 6 common files", out)
        self.assertEqual(len([line for line in out if line.startswith("miss:")]), 2)
        self.assertIn("PASS: MoJoFM 0.5000, target 0.50", out)

    @NEEDS_MOJOFM
    def test_target_and_bad_input(self):
        ref = self.reference()
        rc, out, _ = self.run_score(plan(services()), "--reference", ref, "--mojofm", MOJOFM,
                                    "--target", "0.6")
        self.assertEqual(rc, 1)
        self.assertIn("FAIL: MoJoFM 0.5000, target 0.60", out)

        rc, _, err = self.run_score(plan(services()), "--reference", ref)
        self.assertEqual(rc, 2)
        self.assertIn("a reference needs --mojofm", err)

        rc, _, err = self.run_score({"schema": "other"})
        self.assertEqual(rc, 2)
        self.assertIn("not a cleave plan", err)


if __name__ == "__main__":
    unittest.main()
