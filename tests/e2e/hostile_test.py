#!/usr/bin/env python3
"""hostile_test.py - a hostile repository against cleave (issue 16, part B):
units that crash the parser, nesting deeper than a recursive walk survives,
units that never finish, a cache and shards an attacker wrote.  Each case is
a small tree made under --work; ctest runs one class per test:

  hostile_test.py --cleave BIN --forge BIN --source DIR --work DIR --class C

Classes and what each case must show (docs/security.md counts them):
  crash    a unit that crashes libclang (50,000 nested unary minuses, a
           100,000-term expression, 5,000 nested calls, a 10 MB line) is
           failed with the signal in its errors, the scan exits 0, and the
           graph is byte for byte the graph of the tree without that unit
           but for its own line and the summary
  nesting  5,000 nested `if`s and 5,000 nested `while`s are walked, with
           the facts at the bottom (the access, the call's loop depth)
  timeout  a unit that runs for minutes (an include explosion) and one that
           blocks (it includes a FIFO) fail after --unit-timeout seconds,
           the others parse
  cache    a .cleave-cache that is a symlink is not used; with
           CLEAVE_CACHE_KEY a forged unit entry (a call dropped, the
           checksum made right) and a forged whole graph are refused while
           without the key they are believed (the documented limit); a
           cache written without the key is re-parsed under one, and counted
  shard    a shard claiming 0xFFFFFFFF slices is refused (it overflowed a
           table in `merge`); under CLEAVE_CACHE_KEY an unsigned shard is
           refused and a signed one merges to the same graph

No case may print a sanitizer report (the tests run under ASan and UBSan).
Prints one line per case and the tally; exit status 1 when a case failed.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import time

CASES = []


def case(cls):
    def add(fn):
        CASES.append((cls, fn.__name__, fn))
        return fn
    return add


class Fail(Exception):
    pass


def need(cond, what):
    if not cond:
        raise Fail(what)


class Env:
    def __init__(self, args):
        self.cleave = os.path.abspath(args.cleave)
        self.forge = os.path.abspath(args.forge)
        self.source = os.path.abspath(args.source)
        self.work = os.path.abspath(args.work)

    def run(self, argv, cwd=None, key=None, timeout=600):
        env = dict(os.environ)
        env.pop("CLEAVE_CACHE_KEY", None)
        if key:
            env["CLEAVE_CACHE_KEY"] = key
        t = time.monotonic()
        p = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True,
                           errors="replace", timeout=timeout)
        for bad in ("Sanitizer", "runtime error:", "LeakSanitizer"):
            need(bad not in p.stderr, "sanitizer report:\n" + p.stderr[-3000:])
        return p.returncode, p.stdout, p.stderr, time.monotonic() - t

    def cleave_(self, *argv, **kw):
        return self.run([self.cleave] + list(argv), **kw)

    def dir(self, name):
        d = os.path.join(self.work, name)
        shutil.rmtree(d, ignore_errors=True)
        os.makedirs(d)
        return d


GOOD = {
    "main.c": "int util_add(int a, int b);\nint counter;\n"
              "int main(void) { counter = util_add(1, 2); return counter; }\n",
    "util.c": "extern int counter;\nint util_add(int a, int b) { counter++; return a + b; }\n",
}


def tree(d, files, flags=()):
    """Writes files into d with a compile database naming each .c file."""
    db = []
    for name, text in files.items():
        path = os.path.join(d, name)
        if isinstance(text, bytes):
            open(path, "wb").write(text)
        else:
            open(path, "w").write(text)
        if name.endswith(".c"):
            db.append({"directory": ".", "file": name,
                       "arguments": ["cc", "-std=c11"] + list(flags) + ["-c", name]})
    json.dump(db, open(os.path.join(d, "compile_commands.json"), "w"), indent=1)


def unit(graph_text, name):
    for u in json.loads(graph_text)["units"]:
        if u["file"] == name:
            return u
    raise Fail(name + " is not among the graph's units")


def without(text, bad):
    """The graph's lines but the summary and the bad unit's."""
    return [l for l in text.splitlines()
            if not l.startswith('  "summary":') and '{"file":"%s"' % bad not in l]


def crashing(env, name, bad_text, flags=(), refused=None):
    """A tree of GOOD plus aaa_bad.c (first in every sorted list).  With
    `refused`, clang may also refuse the unit with that error instead of
    crashing (a flag that lets the unit reach the crash may be dropped)."""
    d = env.dir(name)
    tree(d, dict(GOOD, **{"aaa_bad.c": bad_text}), flags)
    ref = env.dir(name + "-without")
    tree(ref, GOOD, flags)
    rc, _, err, _ = env.cleave_("scan", d, "--no-cache", "-j", "2", "-o", d + "/graph.json")
    need(rc == 0, "scan exited %d:\n%s" % (rc, err[-2000:]))
    g = open(d + "/graph.json").read()
    u = unit(g, "aaa_bad.c")
    if refused and u["status"] == "partial":
        need(any(refused in e for e in u["errors"]), "errors: %s" % u["errors"])
    else:
        need(u["status"] == "failed", "the bad unit is %s" % u["status"])
        need(any("crashed (signal" in e for e in u["errors"]), "errors: %s" % u["errors"])
        need("aaa_bad.c: the parse crashed (signal" in err, "stderr does not name the crash:\n" + err)
    rc, _, err, _ = env.cleave_("scan", ref, "--no-cache", "-j", "2", "-o", ref + "/graph.json")
    need(rc == 0, "scan without the bad unit exited %d" % rc)
    h = open(ref + "/graph.json").read()
    need(without(g, "aaa_bad.c") == without(h.replace(ref, d), "aaa_bad.c"),
         "the rest of the graph differs from the scan without the bad unit")


@case("crash")
def unary_minuses(env):
    crashing(env, "unary_minuses", "int f(void) { return " + "-" * 50000 + "1; }\n")


@case("crash")
def long_expression(env):
    crashing(env, "long_expression",
             "int f(int x) { return " + "+".join(["x"] * 100000) + "; }\n")


@case("crash")
def nested_calls(env):
    # clang stops at 256 nested brackets unless a database says otherwise;
    # where the flag does not reach libclang, the unit is refused instead
    crashing(env, "nested_calls", "int g(int x) { return x; }\nint f(int x) { return " +
             "g(" * 5000 + "x" + ")" * 5000 + "; }\n", flags=["-fbracket-depth=100000"],
             refused="bracket nesting level exceeded")


@case("crash")
def ten_mb_line(env):
    crashing(env, "ten_mb_line", "int v;\nint f(void) { return 0" + "+v" * (5 << 20) + "; }\n")


def deep(env, name, text):
    d = env.dir(name)
    tree(d, {"deep.c": text})
    rc, _, err, _ = env.cleave_("scan", d, "--no-cache", "-o", d + "/graph.json")
    need(rc == 0, "scan exited %d:\n%s" % (rc, err[-2000:]))
    g = json.load(open(d + "/graph.json"))
    need(g["units"][0]["status"] == "ok", "deep.c is %s" % g["units"][0]["status"])
    return g


@case("nesting")
def nested_ifs(env):
    g = deep(env, "nested_ifs", "int x;\nvoid f(void) { " + "if (x) " * 5000 + "x = 1; }\n")
    acc = {(a["global"], a["mode"]): a["count"] for a in g["accesses"]}
    need(acc.get(("x", "read")) == 5000 and acc.get(("x", "write")) == 1,
         "accesses of x: %s" % acc)


@case("nesting")
def nested_loops(env):
    g = deep(env, "nested_loops",
             "int x;\nvoid g(void);\nvoid f(void) { " + "while (x) " * 5000 + "g(); }\n")
    calls = [c for c in g["calls"] if c["from"] == "f" and c["to"] == "g"]
    need(len(calls) == 1 and calls[0]["loop_depth"] == 5000, "calls of g: %s" % calls)


def slow(env, name, files, extra_setup=None):
    d = env.dir(name)
    tree(d, dict(GOOD, **files))
    if extra_setup:
        extra_setup(d)
    rc, _, err, took = env.cleave_("scan", d, "--no-cache", "-j", "2", "--unit-timeout", "2",
                                   "-o", d + "/graph.json", timeout=120)
    need(rc == 0, "scan exited %d:\n%s" % (rc, err[-2000:]))
    need(took < 60, "the scan took %.0f s" % took)
    g = open(d + "/graph.json").read()
    u = unit(g, "aaa_slow.c")
    need(u["status"] == "failed" and u["errors"] == ["aaa_slow.c: timed out after 2 s (--unit-timeout)"],
         "the slow unit: %s" % u)
    need(unit(g, "main.c")["status"] == "ok" and unit(g, "util.c")["status"] == "ok",
         "the other units did not parse")


@case("timeout")
def include_explosion(env):
    # each level includes itself twice: 2^24 inclusions
    slow(env, "include_explosion", {"aaa_slow.c": "#if __INCLUDE_LEVEL__ < 24\n#include \"aaa_slow.c\"\n"
                                    "#include \"aaa_slow.c\"\n#else\nint x;\n#endif\n"})


@case("timeout")
def fifo_header(env):
    slow(env, "fifo_header", {"aaa_slow.c": "#include \"pipe.h\"\nint y;\n"},
         lambda d: os.mkfifo(os.path.join(d, "pipe.h")))


def checkbad(env, name):
    d = env.dir(name)
    shutil.copytree(os.path.join(env.source, "fixtures/check_bad"), d, dirs_exist_ok=True)
    return d


FORBIDDEN = "[forbidden-dependency] billing_charge (billing) calls reporting_show"


def check(env, d, cache, key=None):
    return env.cleave_("check", d, "--plan", d + "/plan.json", "--cache-dir", cache, key=key)


@case("cache")
def symlinked_cache(env):
    d = env.dir("symlinked_cache")
    tree(d, GOOD)
    outside = env.dir("symlinked_cache-outside")
    os.symlink(outside, os.path.join(d, ".cleave-cache"))
    rc, _, err, _ = env.cleave_("scan", d, "-o", d + "/graph.json")
    need(rc == 0, "scan exited %d" % rc)
    need(".cleave-cache: a symbolic link, not a directory; scanning without a cache" in err,
         "no warning:\n" + err)
    need(os.listdir(outside) == [], "written through the link: %s" % os.listdir(outside))
    rc, _, _, _ = env.cleave_("scan", d, "--no-cache", "-o", d + "/nocache.json")
    need(open(d + "/graph.json").read() == open(d + "/nocache.json").read(),
         "not the graph of a scan without cache")


@case("cache")
def forged_entry(env):
    d = checkbad(env, "forged_entry")
    for key in (None, "k3y-of-the-trusted-job"):
        cache = env.dir("forged_entry-cache")
        rc, out, err, _ = check(env, d, cache, key)
        need(rc == 1 and FORBIDDEN in out, "the violation is not found at first:\n" + out + err)
        rc, _, _, _ = env.run([env.forge, "drop-call", cache, "billing_charge", "reporting_show"])
        need(rc == 0, "no entry held the call")
        rc, out, err, _ = check(env, d, cache, key)
        if key:
            need(FORBIDDEN in out, "the forged entry hid the call under the key:\n" + out)
            need("1 cache entries refused (not signed with CLEAVE_CACHE_KEY)" in err,
                 "the refusal is not counted:\n" + err)
        else:
            # without a key a forged entry is believed: docs/security.md
            need(FORBIDDEN not in out, "the forged entry was not used without a key")


@case("cache")
def forged_graph(env):
    d = env.dir("forged_graph")
    tree(d, GOOD)
    fake = os.path.join(env.work, "forged_graph-fake.json")
    open(fake, "w").write('{"forged": true}\n')
    for key in (None, "k3y"):
        cache = env.dir("forged_graph-cache")
        env.cleave_("scan", d, "--cache-dir", cache, "-o", d + "/first.json", key=key)
        rc, _, _, _ = env.run([env.forge, "set-graph", cache, fake])
        need(rc == 0, "no graph entry to forge")
        rc, _, err, _ = env.cleave_("scan", d, "--cache-dir", cache, "-o", d + "/second.json",
                                    key=key)
        second = open(d + "/second.json").read()
        if key:
            need(second == open(d + "/first.json").read(), "the forged graph was written")
        else:
            need(second == open(fake).read(), "without a key the forged graph is believed")


@case("cache")
def unsigned_cache(env):
    d = env.dir("unsigned_cache")
    tree(d, GOOD)
    cache = env.dir("unsigned_cache-cache")
    env.cleave_("scan", d, "--cache-dir", cache, "-o", d + "/plain.json")
    rc, _, err, _ = env.cleave_("scan", d, "--cache-dir", cache, "-o", d + "/keyed.json", key="k")
    need("; 2 parsed, 0 cached; 2 cache entries refused" in err, "not refused:\n" + err)
    need(open(d + "/plain.json").read() == open(d + "/keyed.json").read(), "another graph")
    rc, _, err, _ = env.cleave_("scan", d, "--cache-dir", cache, "-o", d + "/again.json", key="k")
    need("; 0 parsed, 2 cached\n" in err, "the signed entries are not used:\n" + err)


def shards(env, name, key=None):
    d = env.dir(name)
    tree(d, GOOD)
    files = []
    for k in (1, 2):
        f = "%s/%d.facts" % (d, k)
        rc, _, err, _ = env.cleave_("scan", d, "--no-cache", "--shard", "%d/2" % k, "-o", f,
                                    key=key)
        need(rc == 0, "shard %d: %s" % (k, err))
        files.append(f)
    return d, files


@case("shard")
def slice_count_overflow(env):
    d, files = shards(env, "slice_count_overflow")
    rc, _, _, _ = env.run([env.forge, "slices", files[0], "4294967295"])
    need(rc == 0, "could not forge the shard")
    rc, out, err, _ = env.cleave_("merge", files[0], "-o", d + "/graph.json")
    need(rc == 2, "merge exited %d:\n%s" % (rc, err))
    need(err.startswith("cleave: merge: slice 2/4294967295 is missing"), "message:\n" + err)
    need(not os.path.exists(d + "/graph.json"), "a graph was written")


@case("shard")
def unsigned_shard(env):
    d, plain = shards(env, "unsigned_shard")
    rc, _, err, _ = env.cleave_("merge", *plain, "-o", d + "/graph.json", key="k")
    need(rc == 2 and "not signed with the key in CLEAVE_CACHE_KEY" in err, "accepted:\n" + err)
    d2, signed = shards(env, "unsigned_shard-signed", key="k")
    rc, _, err, _ = env.cleave_("merge", *signed, "-o", d2 + "/graph.json", key="k")
    need(rc == 0, "signed shards refused:\n" + err)
    rc, _, err, _ = env.cleave_("merge", *plain, "-o", d + "/graph.json")
    need(rc == 0, "unsigned shards refused without a key:\n" + err)
    need(open(d + "/graph.json").read().replace(d, "D") ==
         open(d2 + "/graph.json").read().replace(d2, "D"), "the signed merge differs")


def main():
    ap = argparse.ArgumentParser()
    for a in ("cleave", "forge", "source", "work", "class"):
        ap.add_argument("--" + a, required=True)
    args = ap.parse_args()
    env = Env(args)
    os.makedirs(env.work, exist_ok=True)
    ran = failed = 0
    for cls, name, fn in CASES:
        if cls != getattr(args, "class"):
            continue
        ran += 1
        try:
            fn(env)
            print("ok      %s/%s" % (cls, name))
        except (Fail, subprocess.TimeoutExpired, OSError) as e:
            failed += 1
            print("FAILED  %s/%s: %s" % (cls, name, e))
    print("%s: %d of %d hostile cases handled" % (getattr(args, "class"), ran - failed, ran))
    return 1 if failed or not ran else 0


if __name__ == "__main__":
    sys.exit(main())
