#!/usr/bin/env python3
"""test_callgraph.py - tests gcc_callgraph.py and callgraph_compare.py on a
tiny C project written to a temporary directory, against hand-made cleave
graphs.  Needs gcc (10 or later, for -fcallgraph-info).

Run: python3 bench/test_callgraph.py
"""
import io
import json
import os
import sys
import tempfile
import unittest

sys.dont_write_bytecode = True  # no __pycache__ left in bench/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import callgraph_compare  # noqa: E402
import gcc_callgraph  # noqa: E402

SOURCES = {
    "inc/util.h": "static inline int twice(int x) { return 2 * x; }\n"
                  "static inline int never(void) { return 0; }\n"
                  "int shared(int);\n",
    "src/a.c": '#include "util.h"\n'
               "#include <string.h>\n"
               "static int helper(int y) { return twice(y); }\n"
               "static int dead(void) { return 1; }\n"
               "int shared(int z) { if (0) dead(); return helper(z) + (int)strlen(\"x\"); }\n"
               "int through(int (*fp)(int)) { return fp(1) + shared(2); }\n",
    "src/b.c": '#include "util.h"\n'
               "static int helper(int y) { return shared(y) + twice(y); }\n"
               "int main(void) { return helper(3); }\n",
}


def fn(fid, name, file, linkage="extern", defined=True):
    return {"id": fid, "name": name, "file": file, "line": 1, "end_line": 1, "linkage": linkage,
            "defined": defined, "loc": 1, "address_taken": False}


def call(src, dst, kind="direct", at=("src/a.c:1:1",)):
    return {"from": src, "to": dst, "kind": kind, "sites": len(at), "loop_depth": 0, "at": list(at)}


class TinyProject(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.root = os.path.realpath(cls.tmp.name)
        for rel, text in SOURCES.items():
            path = os.path.join(cls.root, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as f:
                f.write(text)
        src = os.path.join(cls.root, "src")
        cls.db = [
            {"directory": src, "file": "a.c", "arguments": ["gcc", "-O2", "-I../inc", "-c", "a.c", "-o", "a.o"]},
            # libtool's second compile of the same file: skipped.
            {"directory": src, "file": "a.c",
             "arguments": ["gcc", "-O2", "-fPIC", "-I../inc", "-c", "a.c", "-o", ".libs/a.o"]},
            {"directory": src, "file": os.path.join(src, "b.c"),
             "command": "gcc -O2 -I../inc -MD -MF b.d -c b.c -o b.o"},
            # The same file compiled as C++: not a C unit.
            {"directory": src, "file": "b.c", "arguments": ["g++", "-I../inc", "-c", "b.c", "-o", "b-c++.o"]},
            # configure's test program, gone since.
            {"directory": cls.root, "file": "conftest.c", "arguments": ["gcc", "-c", "conftest.c"]},
        ]
        cls.doc = gcc_callgraph.build(cls.db, cls.root, 2)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_units(self):
        self.assertEqual(self.doc["units"], 2)
        self.assertEqual(self.doc["units_failed"], 0, self.doc["failures"])
        self.assertEqual(self.doc["entries_skipped"], 3)

    def test_keys(self):
        keys = {f["key"] for f in self.doc["functions"]}
        # Statics are keyed by their defining file, even from a header; externs by name.
        self.assertEqual(keys, {"inc/util.h:twice", "src/a.c:helper", "src/a.c:dead", "shared",
                                "through", "src/b.c:helper", "main"})

    def test_edges(self):
        edges = {(e["from"], e["to"]) for e in self.doc["edges"]}
        self.assertEqual(edges, {
            ("src/a.c:helper", "inc/util.h:twice"), ("shared", "src/a.c:helper"),
            ("through", "shared"), ("src/b.c:helper", "shared"),
            ("src/b.c:helper", "inc/util.h:twice"), ("main", "src/b.c:helper")})
        self.assertEqual(self.doc["indirect_sites"], 1)
        self.assertEqual(self.doc["indirect"], [{"from": "through", "at": "src/a.c:6:38"}])
        at = {(e["from"], e["to"]): e["at"] for e in self.doc["edges"]}
        self.assertEqual(at[("main", "src/b.c:helper")], ["src/b.c:3:25"])

    def compare(self, functions, calls, minimum=99.5):
        cdoc = {"schema": "cleave.graph/1", "functions": functions, "calls": calls,
                "summary": {"units": 2, "ok": 2, "partial": 0, "failed": 0, "indirect_sites": 1,
                            "indirect_resolved": 1, "indirect_unresolved": 0, "indirect_targets_avg": 1.0}}
        out = io.StringIO()
        ok = callgraph_compare.report(self.doc, cdoc, self.root, minimum, 50, out)
        return ok, out.getvalue()

    def functions(self):
        return [fn("inc/util.h:twice", "twice", "inc/util.h", "static"),
                fn("inc/util.h:never", "never", "inc/util.h", "static"),
                fn("src/a.c:helper", "helper", "src/a.c", "static"),
                fn("src/a.c:dead", "dead", "src/a.c", "static"),
                fn("shared", "shared", "src/a.c"),
                fn("through", "through", "src/a.c"),
                fn("src/b.c:helper", "helper", "src/b.c", "static"),
                fn("main", "main", "src/b.c"),
                fn("strlen", "strlen", "/usr/include/string.h", defined=False)]

    def exact_calls(self):
        return [call("src/a.c:helper", "inc/util.h:twice"), call("shared", "src/a.c:helper"),
                call("shared", "strlen"), call("through", "shared"), call("src/b.c:helper", "shared"),
                call("src/b.c:helper", "inc/util.h:twice"), call("main", "src/b.c:helper")]

    def test_exact_match(self):
        ok, text = self.compare(self.functions(), self.exact_calls())
        self.assertTrue(ok, text)
        self.assertIn("recall:    100.00%  (6 / 6)", text)
        self.assertIn("precision: 100.00%  (6 / 6)", text)
        self.assertIn("indirect calls (cleave): 1 sites, 1 resolved, 0 unresolved, 1.00 targets", text)
        self.assertIn("functions defined for cleave only: 1\n  inc/util.h:never", text)
        self.assertIn("indirect call sites seen by GCC: 1, with cleave targets: 0\n"
                      "      0 targets  src/a.c:6  in through", text)

    def test_indirect_sites(self):
        calls = self.exact_calls() + [call("through", "src/a.c:helper", "indirect", ["src/a.c:6:36"]),
                                      call("through", "inc/util.h:twice", "indirect", ["src/a.c:6:36"]),
                                      call("main", "shared", "indirect", ["src/b.c:3:1"])]
        ok, text = self.compare(self.functions(), calls)
        self.assertTrue(ok, text)
        self.assertIn("indirect call sites seen by GCC: 1, with cleave targets: 1\n"
                      "      2 targets  src/a.c:6  in through", text)
        self.assertIn("indirect call sites with cleave targets that GCC does not see: 1\n"
                      "      1 targets  src/b.c:3  in main", text)

    def test_differences_are_categorised(self):
        calls = self.exact_calls()[1:]  # drop helper -> twice
        calls += [call("shared", "src/a.c:dead", at=["src/a.c:5:29"]),   # folded by GCC
                  call("inc/util.h:never", "shared"),                  # caller dropped by GCC
                  call("through", "main", kind="indirect")]
        funcs = [f for f in self.functions() if f["id"] != "main"]       # main unknown to cleave
        ok, text = self.compare(funcs, [c for c in calls if "main" not in (c["from"], c["to"])])
        self.assertFalse(ok)
        self.assertIn("recall:     66.67%  (4 / 6)", text)
        self.assertIn("precision:  66.67%  (4 / 6)", text)
        self.assertIn("1  call missed by cleave", text)
        self.assertIn("1  caller not defined in cleave's graph", text)
        self.assertIn("1  caller not emitted by GCC", text)
        self.assertIn("1  no such call in GCC's graph", text)
        self.assertIn("shared -> src/a.c:dead", text)
        self.assertIn("at src/a.c:5:29  | int shared(int z) { if (0) dead();", text)
        self.assertIn("functions defined for GCC only: 1\n  main", text)

    def test_threshold(self):
        calls = self.exact_calls() + [call("main", "shared")]
        ok, text = self.compare(self.functions(), calls, minimum=85.0)
        self.assertTrue(ok, text)
        self.assertIn("precision:  85.71%  (6 / 7)", text)
        ok, _ = self.compare(self.functions(), calls, minimum=90.0)
        self.assertFalse(ok)

    def test_malformed_cleave_graph(self):
        with self.assertRaises(callgraph_compare.InputError):
            self.compare(self.functions(), [call("nobody", "main")])


class Parsing(unittest.TestCase):
    def test_gcc_argv(self):
        argv = ["gcc", "-O2", "-MD", "-MFx.d", "-c", "x.c", "-o", "x.o", "-Os"]
        self.assertEqual(gcc_callgraph.gcc_argv(argv, "/t/1.o"),
                         ["gcc", "-O2", "-c", "x.c", "-Os", "-O0", "-fcallgraph-info", "-o", "/t/1.o"])

    def test_c_entries(self):
        self.assertTrue(gcc_callgraph.is_c_entry(["x86_64-linux-gnu-gcc", "-c", "a.c"], "/p/a.c"))
        self.assertFalse(gcc_callgraph.is_c_entry(["/usr/bin/x86_64-linux-gnu-g++-12", "-c", "a.c"], "/p/a.c"))
        self.assertFalse(gcc_callgraph.is_c_entry(["gcc", "-x", "c++", "-c", "a.c"], "/p/a.c"))
        self.assertFalse(gcc_callgraph.is_c_entry(["gcc", "-c", "a.cc"], "/p/a.cc"))

    def test_parse_ci(self):
        text = ('graph: { title: "a.c"\n'
                'node: { title: "a.c:s" label: "s\\na.c:1:12" shape : ellipse }\n'
                'node: { title: "f" label: "f\\na.c:2:5" }\n'
                'edge: { sourcename: "f" targetname: "a.c:s" label: "a.c:2:20" }\n'
                'node: { title: "a.c:s" label: "s\\na.c:3:12" }\n'
                '}\n')
        nodes, edges = gcc_callgraph.parse_ci(text)
        self.assertEqual(nodes, {"a.c:s": ("s", "a.c", True), "f": ("f", "a.c", True)})
        self.assertEqual(edges, [("f", "a.c:s", "a.c:2:20")])


if __name__ == "__main__":
    unittest.main()
