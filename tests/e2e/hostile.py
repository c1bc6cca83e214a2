#!/usr/bin/env python3
"""hostile.py - cleave against inputs written by someone who means harm.

cleave runs in CI on pull requests, so the tree, its compile database, the
plans, configs and baselines it reads may all come from an attacker
(docs/security.md).  Each case below builds such an input in a scratch
directory, runs the cleave under test on it and checks that it is handled
cleanly: nothing written or read outside what it may touch, no hang (every
run has a time limit), a one-line error with the documented exit code, and
valid output.  The cases are grouped in the classes of docs/security.md:

  flags     compile-database options that would write, read or load files
  paths     sources, includes and symlinks outside the project
  outputs   where -o and the other outputs go; signals
  readers   FIFOs, devices, bad numbers, non-UTF-8 names, slow globs
  messages  control characters from inputs on stderr; libclang's chatter
  config    names a config gives that the plan or the code lacks
  crash     units that crash libclang: failed alone, the rest of the graph
            byte for byte what it is without them
  nesting   nesting deeper than a recursive walk of the tree survives
  timeout   units that never finish fail after --unit-timeout
  cache     a cache an attacker wrote: a symlinked folder, forged entries,
            with and without CLEAVE_CACHE_KEY
  shard     shard files an attacker wrote: a huge slice count, no signature

usage: hostile.py --cleave BIN --forge BIN --source DIR --work DIR
                  [--class NAME]... [--list]
Runs every case of the classes given (default: all), prints one line per
case and a count per class (the figures of docs/security.md), and exits 1
when a case fails.  --list prints the cases without running them.  forge
(tests/e2e/forge.c) rewrites cache entries and shard files as an attacker
without the key would; --source is the checkout, for its fixtures.  No case
may print a sanitizer report.  Nothing is written outside --work; no case
touches a device but /dev/full, opened read-write by this script itself or
named through a symlink inside --work.
"""
import argparse
import ctypes
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time

TIMEOUT = 60  # seconds per cleave run: a hang is a failure, not a stuck suite
CASES = []    # (class, name, function)


def case(cls, name):
    def register(fn):
        CASES.append((cls, name, fn))
        return fn
    return register


class Fail(Exception):
    pass


def check(cond, msg):
    if not cond:
        raise Fail(msg)


class Run:
    def __init__(self, code, out, err):
        self.code, self.out, self.err = code, out, err
        self.text = err.decode("utf-8", "replace")
        for bad in ("Sanitizer", "runtime error:"):
            check(bad not in self.text, "sanitizer report:\n" + self.text[-3000:])


class Env:
    """One case's scratch directory, the cleave under test, forge and the
    source checkout."""

    def __init__(self, cleave, root, forge=None, source=None):
        self.cleave, self.root, self.forge, self.source = cleave, root, forge, source

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def write(self, rel, data, mode="w"):
        p = self.path(rel)
        os.makedirs(os.path.dirname(p), exist_ok=True)
        with open(p, mode) as f:
            f.write(data)
        return p

    def project(self, rel, files, entries=None):
        """A project folder: files (name -> text) and, when entries is a
        list of (file, arguments), a compile_commands.json."""
        d = self.path(rel)
        os.makedirs(d, exist_ok=True)
        for name, text in files.items():
            self.write(os.path.join(rel, name), text)
        if entries is not None:
            db = [{"directory": ".", "file": f, "arguments": ["cc"] + args + ["-c", f]}
                  for f, args in entries]
            self.write(os.path.join(rel, "compile_commands.json"), json.dumps(db, indent=1))
        return d

    def run(self, *args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, env=None, cwd=None,
            timeout=TIMEOUT, preexec=None, program=None):
        full = dict(os.environ)
        full.update(env or {})
        program = program or self.cleave
        try:
            p = subprocess.run([program] + list(args), stdin=stdin, stdout=stdout,
                               stderr=subprocess.PIPE, env=full, cwd=cwd or self.root,
                               timeout=timeout, preexec_fn=preexec)
        except subprocess.TimeoutExpired:
            raise Fail("no answer after %d s: %s" % (timeout, " ".join(args)))
        return Run(p.returncode, p.stdout or b"", p.stderr)

    def forged(self, *args):
        """Runs forge; it must have rewritten something."""
        r = self.run(*args, program=self.forge)
        check(r.code == 0, "forge %s: nothing rewritten (%d) %s" % (args[0], r.code, r.text))


def one_line(r, code):
    """A failure as the quality bar wants it: this exit code, one line."""
    check(r.code == code, "exit %d, want %d: %s" % (r.code, code, r.text.strip()[:300]))
    lines = [l for l in r.text.split("\n") if l]
    check(len(lines) == 1, "want a one-line error, got %d lines: %r" % (len(lines), r.text[:300]))
    return lines[0]


def graph_of(path):
    with open(path, "rb") as f:
        return json.loads(f.read().decode("utf-8"))  # strict: valid UTF-8 and JSON


def names(g):
    return {f["name"] for f in g["functions"]} | {v["name"] for v in g["globals"]}


def listing(d):
    out = set()
    for base, dirs, files in os.walk(d):
        for n in dirs + files:
            out.add(os.path.relpath(os.path.join(base, n), d))
    return out


MAIN = "int main(void) { return helper(); }\nint helper(void) { return 0; }\n"
MAIN_DECL = "int helper(void);\n" + MAIN
SECRET = "int secret_fn(void) { return 42; }\nint secret_global;\n"


# ---- flags -------------------------------------------------------------------

def scan_flags(e, args, extra_files=None):
    """Scans a one-unit project whose entry has args; returns (run, graph)."""
    files = {"main.c": MAIN_DECL}
    files.update(extra_files or {})
    d = e.project("proj", files, [("main.c", args)])
    out = e.path("graph.json")
    r = e.run("scan", d, "--no-cache", "-o", out)
    check(r.code == 0, "scan failed (%d): %s" % (r.code, r.text.strip()[:300]))
    return r, graph_of(out)


def no_new_files(e, before, where):
    after = listing(where)
    check(after == before, "files appeared: %s" % sorted(after - before))


def write_attack(args_for, name):
    """A case: the options write a file into victim/; none may appear."""
    def run(e):
        os.makedirs(e.path("victim"))
        before = listing(e.path("victim"))
        target = e.path("victim", "written")
        r, g = scan_flags(e, args_for(target))
        no_new_files(e, before, e.path("victim"))
        check(not [f for f in os.listdir(e.path("proj")) if f.endswith((".d", ".json.d", ".i",
                                                                        ".s", ".o"))
                   or f == "main.json"], "output files in the project: %s" % os.listdir(e.path("proj")))
        check(g["summary"].get("flags_dropped", 0) >= 1, "summary does not count the dropped flags")
        check("not passed to libclang" in r.text, "no warning names the dropped flags")
    case("flags", name)(run)


write_attack(lambda t: ["-Xclang", "-dependency-file", "-Xclang", t, "-Xclang", "-MT",
                        "-Xclang", "x"], "xclang_dependency_file")
write_attack(lambda t: ["--write-dependencies"], "write_dependencies")
write_attack(lambda t: ["--write-user-dependencies"], "write_user_dependencies")
write_attack(lambda t: ["-MD", "-MF", t], "md_mf")
write_attack(lambda t: ["-Wp,-MD," + t], "wp_md")
write_attack(lambda t: ["-Xpreprocessor", "-dependency-file", "-Xpreprocessor", t],
             "xpreprocessor_dependency_file")
write_attack(lambda t: ["-fmodules", "-fmodules-cache-path=" + t], "modules_cache_path")
write_attack(lambda t: ["-Xclang", "-header-include-file", "-Xclang", t, "-H"],
             "xclang_header_include_file")
write_attack(lambda t: ["-ftime-trace", "-ftime-trace-granularity=0"], "time_trace")
write_attack(lambda t: ["-save-temps=cwd"], "save_temps")
write_attack(lambda t: ["-fcrash-diagnostics-dir=" + t, "-fplugin=" + t + ".so"],
             "crash_dir_and_plugin")


@case("flags", "config_file")
def _(e):
    cfg = e.write("outside/evil.cfg", "-DFROM_CONFIG\n")
    r, g = scan_flags(e, ["--config", cfg],
                      {"feat.c": "#ifdef FROM_CONFIG\nint config_was_read(void) { return 1; }\n#endif\n"})
    check("config_was_read" not in names(g), "the --config file was read")


@case("flags", "include_outside")
def _(e):
    secret = e.write("outside/secret.h", SECRET)
    r, g = scan_flags(e, ["-include", secret])
    check("secret_fn" not in names(g), "-include read a file outside the project")
    check("-include" in r.text, "the warning does not name -include")


@case("flags", "include_paths_outside")
def _(e):
    e.write("outside/secret.h", SECRET)
    src = "#include \"secret.h\"\n" + MAIN_DECL
    for args in (["-I", e.path("outside")], ["-I" + e.path("outside")],
                 ["-isystem", e.path("outside")], ["-iquote", e.path("outside")],
                 ["-idirafter", e.path("outside")]):
        d = e.project("proj", {"main.c": src}, [("main.c", args)])
        out = e.path("graph.json")
        r = e.run("scan", d, "--no-cache", "-o", out)
        check(r.code == 0, "scan failed: %s" % r.text[:300])
        g = graph_of(out)
        check("secret_fn" not in names(g), "%s: a header outside the project was read" % args)


@case("flags", "include_path_symlink_outside")
def _(e):
    e.write("outside/secret.h", SECRET)
    d = e.project("proj", {"main.c": "#include \"secret.h\"\n" + MAIN_DECL, "ok.c": MAIN},
                  [("main.c", ["-Ilinked"]), ("ok.c", [])])
    os.symlink(e.path("outside"), os.path.join(d, "linked"))
    out = e.path("graph.json")
    r = e.run("scan", d, "--no-cache", "-o", out)
    check(r.code == 0, "scan failed: %s" % r.text[:300])
    g = graph_of(out)
    check("secret_fn" not in names(g), "a header was read through a linked include folder")
    check("outside the project" in r.text, "the unit's refusal is not reported")


@case("flags", "response_file")
def _(e):
    r, g = scan_flags(e, ["@args.rsp"], {"args.rsp": "-DFROM_RSP\n",
                                         "feat.c": "#ifdef FROM_RSP\nint rsp_was_read(void) { return 1; }\n#endif\n"})
    check("rsp_was_read" not in names(g), "a response file was expanded")


@case("flags", "vfs_overlay_and_pch")
def _(e):
    e.write("outside/secret.h", SECRET)
    overlay = e.write("proj/o.yaml", json.dumps({
        "version": 0, "roots": [{"name": e.path("proj"), "type": "directory", "contents": [
            {"name": "cfg.h", "type": "file", "external-contents": e.path("outside/secret.h")}]}]}))
    r, g = scan_flags(e, ["-ivfsoverlay", overlay, "-include-pch", e.path("outside/x.pch")],
                      {"cfg.h": "\n"})
    check("secret_fn" not in names(g), "the overlay mapped a file from outside")


@case("flags", "parse_flags_kept")
def _(e):
    d = e.project("proj", {"main.c": "#include \"inc.h\"\n#ifdef FEATURE\nint feature_on(void) { return 1; }\n#endif\n"
                                     + MAIN_DECL, "inc/inc.h": "int from_include_dir(void);\n"},
                  [("main.c", ["-DFEATURE", "-I", "inc", "-std=c11", "-O2", "-Wall", "-g"])])
    out = e.path("g.json")
    r = e.run("scan", d, "--no-cache", "-o", out)
    check(r.code == 0, r.text)
    g = graph_of(out)
    check("feature_on" in names(g), "-D was not passed on")
    check(g["units"][0]["status"] == "ok", "-I inside the project was not passed on")
    check(g["summary"]["flags_dropped"] == 2, "want -Wall and -g counted: %s" % g["summary"])


# ---- paths -------------------------------------------------------------------

def refused_entry(e, entries, extra=None, files=None):
    files = dict(files or {"main.c": MAIN_DECL})
    d = e.project("proj", files, entries)
    out = e.path("g.json")
    r = e.run("scan", d, "--no-cache", "-o", out, *(extra or []))
    check(r.code == 0, "scan failed (%d): %s" % (r.code, r.text[:300]))
    g = graph_of(out)
    check("secret_fn" not in names(g), "a source outside the project was read")
    check(all("secret" not in u["file"] for u in g["units"]), "the refused unit is in the graph")
    return r


@case("paths", "entry_absolute_outside")
def _(e):
    secret = e.write("outside/secret.c", SECRET)
    r = refused_entry(e, [("main.c", []), (secret, [])])
    check("compile_commands.json:" in r.text and "entry 2" in r.text and "not read" in r.text,
          "no warning naming the entry: %s" % r.text)


@case("paths", "entry_relative_outside")
def _(e):
    e.write("outside/secret.c", SECRET)
    r = refused_entry(e, [("main.c", []), ("../outside/secret.c", [])])
    check("entry 2" in r.text, "no warning naming the entry")


@case("paths", "entry_etc_passwd")
def _(e):
    d = e.project("proj", {"main.c": MAIN_DECL}, [("main.c", []), ("/etc/passwd", ["-x", "c"])])
    out = e.path("g.json")
    r = e.run("scan", d, "--no-cache", "-o", out)
    check(r.code == 0, r.text)
    g = graph_of(out)
    check(all(u["file"] == "main.c" for u in g["units"]), "/etc/passwd was analysed: %s" % g["units"])
    check("/etc/passwd" in r.text and "entry 2" in r.text, "no warning naming the entry")


@case("paths", "entry_symlink_outside")
def _(e):
    e.write("outside/secret.c", SECRET)
    d = e.project("proj", {"main.c": MAIN_DECL}, [("main.c", []), ("pw.c", [])])
    os.symlink(e.path("outside/secret.c"), os.path.join(d, "pw.c"))
    out = e.path("g.json")
    r = e.run("scan", d, "--no-cache", "-o", out)
    check(r.code == 0, r.text)
    check("secret_fn" not in names(graph_of(out)), "a symlink out of the tree was followed")
    check("symbolic link" in r.text, "no warning about the link")


@case("paths", "srctree_symlink_outside")
def _(e):
    e.write("outside/secret.c", SECRET)
    d = e.project("proj", {"main.c": MAIN_DECL})
    os.symlink(e.path("outside/secret.c"), os.path.join(d, "pw.c"))
    out = e.path("g.json")
    r = e.run("scan", d, "--no-cache", "-o", out)
    check(r.code == 0, r.text)
    check("secret_fn" not in names(graph_of(out)), "a symlink out of the tree was followed")
    check("pw.c: a symbolic link" in r.text, "no warning about the link: %s" % r.text)


def include_attack(e, spelling, link=False, allow=False, db=True):
    e.write("outside/secret.h", SECRET)
    files = {"main.c": "#include \"%s\"\n" % spelling + MAIN_DECL}
    d = e.project("proj", files, [("main.c", [])] if db else None)
    if link:
        os.symlink(e.path("outside/secret.h"), os.path.join(d, "pw.h"))
    out = e.path("g.json")
    args = ["scan", d, "--no-cache", "-o", out] + (["--allow-dir", e.path("outside")] if allow else [])
    r = e.run(*args)
    return r, out


@case("paths", "include_absolute_outside")
def _(e):
    r, out = include_attack(e, e.path("outside/secret.h"))
    check(r.code == 3, "want exit 3 (nothing analysed), got %d: %s" % (r.code, r.text[:300]))
    check(not os.path.exists(out), "a graph was written")
    check("reads %s" % e.path("outside/secret.h") in r.text, "the refusal does not name the file")


@case("paths", "include_dotdot_outside")
def _(e):
    r, out = include_attack(e, "../outside/secret.h")
    check(r.code == 3 and "outside the project" in r.text, "not refused: %s" % r.text[:300])


@case("paths", "include_symlink_outside")
def _(e):
    r, out = include_attack(e, "pw.h", link=True)
    check(r.code == 3 and "outside the project" in r.text, "not refused: %s" % r.text[:300])


@case("paths", "include_symlink_outside_srctree")
def _(e):
    r, out = include_attack(e, "pw.h", link=True, db=False)
    check(r.code == 3 and "outside the project" in r.text, "not refused: %s" % r.text[:300])


@case("paths", "allow_dir_allows")
def _(e):
    r, out = include_attack(e, e.path("outside/secret.h"), allow=True)
    check(r.code == 0, "--allow-dir did not allow: %s" % r.text[:300])
    check("secret_fn" in names(graph_of(out)), "the allowed header was not read")


@case("paths", "errors_do_not_quote_outside")
def _(e):
    e.write("outside/secret.h", "root:x:0:0:TOPSECRET:/root:/bin/bash\n")
    d = e.project("proj", {"main.c": "#include \"%s\"\n" % e.path("outside/secret.h") + MAIN_DECL},
                  [("main.c", []), ("ok.c", [])])
    e.write("proj/ok.c", "int ok(void) { return 0; }\n")
    out = e.path("g.json")
    r = e.run("scan", d, "--no-cache", "-o", out)
    check(r.code == 0, r.text)
    raw = open(out, encoding="utf-8").read()
    check("TOPSECRET" not in raw and "TOPSECRET" not in r.text, "the outside file's text leaked")


@case("paths", "db_file_does_not_widen_to_slash")
def _(e):
    secret = e.write("outside/secret.c", SECRET)
    d = e.project("proj", {"main.c": MAIN_DECL})
    db = [{"directory": d, "file": "main.c", "arguments": ["cc", "-c", "main.c"]},
          {"directory": "/", "file": "etc/passwd", "arguments": ["cc", "-x", "c", "-c", "etc/passwd"]},
          {"directory": d, "file": secret, "arguments": ["cc", "-c", secret]}]
    e.write("proj/build/compile_commands.json", json.dumps(db))
    out = e.path("g.json")
    r = e.run("scan", os.path.join(d, "build", "compile_commands.json"), "--no-cache", "-o", out, cwd=d)
    check(r.code == 0, r.text)
    g = graph_of(out)
    check([u["file"] for u in g["units"]] == ["main.c"], "units: %s" % g["units"])
    check(r.text.count("not read") == 2, "want two refused entries: %s" % r.text)


@case("paths", "out_of_tree_build_dir_readable")
def _(e):
    d = e.project("proj", {"main.c": "#include \"gen.h\"\n" + MAIN_DECL})
    b = e.path("build")
    e.write("build/gen/gen.h", "int generated(void);\n")
    db = [{"directory": b, "file": os.path.join(d, "main.c"),
           "arguments": ["cc", "-Igen", "-c", os.path.join(d, "main.c")]}]
    e.write("build/compile_commands.json", json.dumps(db))
    out = e.path("g.json")
    r = e.run("scan", d, "-p", b, "--no-cache", "-o", out)
    check(r.code == 0 and graph_of(out)["units"][0]["status"] == "ok",
          "a generated header of the build folder was refused: %s" % r.text[:300])


@case("paths", "overlong_path_reported")
def _(e):
    d = e.project("proj", {"main.c": MAIN_DECL})
    fd = os.open(d, os.O_RDONLY)
    for i in range(20):  # 20 x 250 bytes: past PATH_MAX (4096)
        name = ("d%02d" % i) + "x" * 247
        os.mkdir(name, dir_fd=fd)
        nfd = os.open(name, os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = nfd
    with os.fdopen(os.open("deep.c", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd), "w") as f:
        f.write("int deep(void) { return 0; }\n")
    out = e.path("g.json")
    r = e.run("scan", d, "--no-cache", "-o", out)
    check(r.code == 0, r.text[:300])
    check("longer than the system allows" in r.text, "an overlong path was skipped in silence")


@case("paths", "allow_dir_missing")
def _(e):
    d = e.project("proj", {"main.c": MAIN_DECL})
    r = e.run("scan", d, "--no-cache", "--allow-dir", e.path("nowhere"), "-o", e.path("g.json"))
    line = one_line(r, 2)
    check("--allow-dir" in line, line)


# ---- outputs -----------------------------------------------------------------

def demo(e, db=True):
    return e.project("proj", {"main.c": MAIN_DECL, "util.c": "int util(void) { return 1; }\n"},
                     [("main.c", []), ("util.c", [])] if db else None)


# -o a link to a device: written through (a full one is exit 4), the link kept
for name, device, want in (("symlink_to_dev_full", "/dev/full", 4),
                           ("symlink_to_dev_null", "/dev/null", 0)):
    def run(e, device=device, want=want):
        link = e.path("device")
        os.symlink(device, link)
        r = e.run("scan", demo(e), "--no-cache", "-o", link)
        check(r.code == want, "exit %d writing to %s, want %d: %s" % (r.code, device, want,
                                                                     r.text[:300]))
        check(os.path.islink(link), "the symlink was replaced")
    case("outputs", name)(run)


@case("outputs", "symlink_to_file")
def _(e):
    d = demo(e)
    target = e.write("keep/target.json", "old\n")
    link = e.path("link.json")
    os.symlink(target, link)
    r = e.run("scan", d, "--no-cache", "-o", link)
    check(r.code == 0, r.text[:300])
    check(os.path.islink(link), "the symlink was replaced")
    check(graph_of(target)["schema"].startswith("cleave.graph/"), "the target was not written")


@case("outputs", "fifo_written_through")
def _(e):
    d = demo(e)
    fifo = e.path("pipe")
    os.mkfifo(fifo)
    got = []
    # a daemon: if cleave replaced the FIFO, the open never returns, and the
    # suite must still end
    reader = threading.Thread(target=lambda: got.append(open(fifo, "rb").read()), daemon=True)
    reader.start()
    r = e.run("scan", d, "--no-cache", "-o", fifo)
    reader.join(TIMEOUT)
    check(r.code == 0, r.text[:300])
    check(got and json.loads(got[0])["schema"].startswith("cleave.graph/"),
          "nothing came through the FIFO")
    check(os.path.exists(fifo) and not os.path.isfile(fifo), "the FIFO was replaced")


@case("outputs", "dash_is_stdout")
def _(e):
    d = demo(e)
    r = e.run("scan", d, "--no-cache", "-o", "-")
    check(r.code == 0 and json.loads(r.out)["schema"].startswith("cleave.graph/"), "no graph on stdout")
    check(not os.path.exists(e.path("-")), "a file named - was written")


def to_dev_full(e, *args):
    with open("/dev/full", "wb") as full:
        return e.run(*args, stdout=full)


@case("outputs", "stdout_full_scan")
def _(e):
    r = to_dev_full(e, "scan", demo(e), "--no-cache")
    check(r.code == 4, "exit %d writing the graph to a full stdout, want 4" % r.code)


@case("outputs", "stdout_full_plan_summary")
def _(e):
    r = to_dev_full(e, "plan", demo(e), "--no-cache", "--no-render", "-o", e.path("out"))
    check(r.code == 4, "exit %d printing the summary to a full stdout, want 4" % r.code)


@case("outputs", "stdout_full_help")
def _(e):
    r = to_dev_full(e, "--help")
    check(r.code == 4, "exit %d printing --help to a full stdout, want 4" % r.code)


def render_env(e):
    """What a run that renders with Graphviz adds to a sanitized build's
    options: Graphviz and fontconfig keep memory to the end, which
    tests/lsan.supp names by function (as tests/CMakeLists.txt does for
    the other tests that render)."""
    env = {}
    if "ASAN_OPTIONS" in os.environ:
        env["ASAN_OPTIONS"] = os.environ["ASAN_OPTIONS"] + ":fast_unwind_on_malloc=0"
    if "LSAN_OPTIONS" in os.environ:
        env["LSAN_OPTIONS"] = (os.environ["LSAN_OPTIONS"] + ":suppressions=" +
                               os.path.join(e.source, "tests", "lsan.supp"))
    return env


# every command that prints to stdout: a full one is exit 4, never 0
# (name, arguments given the plan and graph, whether it renders)
STDOUT_COMMANDS = (
    ("graph", lambda plan, graph: ["graph", "--graph", graph], False),
    ("check", lambda plan, graph: ["check", "--graph", graph, "--plan", plan], False),
    ("compare", lambda plan, graph: ["compare", plan, plan], False),
    ("explain", lambda plan, graph: ["explain", "main", "--plan", plan], False),
    ("report", lambda plan, graph: ["report", plan, "-o", "-"], True),
    ("version", lambda plan, graph: ["--version"], False),
)
for name, args, renders in STDOUT_COMMANDS:
    def run(e, args=args, renders=renders):
        d, plan, graph = small_plan(e)
        with open("/dev/full", "wb") as full:
            r = e.run(*args(plan, graph), stdout=full, env=render_env(e) if renders else None)
        check(r.code == 4, "exit %d printing to a full stdout, want 4: %s" % (r.code, r.text[:300]))
    case("outputs", "stdout_full_" + name)(run)


@case("outputs", "file_size_limit_keeps_previous")
def _(e):
    d = demo(e)
    out = e.write("g.json", "previous\n")

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (64, 64))
    r = e.run("scan", d, "--no-cache", "-o", out, preexec=limit)
    check(r.code == 4, "exit %d when the write fails, want 4: %s" % (r.code, r.text[:200]))
    check(open(out).read() == "previous\n", "the previous file was damaged")
    check(sorted(os.listdir(e.root)) == ["g.json", "proj"], "a temporary was left: %s" % os.listdir(e.root))


@case("outputs", "plan_dir_symlink_refused")
def _(e):
    d = demo(e)
    victim = e.write("victim.txt", "precious\n")
    os.makedirs(e.path("out"))
    os.symlink(victim, e.path("out", "plan.json"))
    r = e.run("plan", d, "--no-cache", "--no-render", "-o", e.path("out"))
    check(r.code == 4, "exit %d, want 4: %s" % (r.code, r.text[:300]))
    check(open(victim).read() == "precious\n", "the link in the output folder was written through")
    check(os.path.islink(e.path("out", "plan.json")), "the planted link was replaced")


@case("outputs", "default_plan_dir_symlink_refused")
def _(e):
    d = demo(e)
    os.makedirs(e.path("elsewhere"))
    victim = e.write("elsewhere/plan.json", "precious\n")
    os.symlink(e.path("elsewhere"), os.path.join(d, "cleave-out"))
    r = e.run("plan", ".", "--no-cache", "--no-render", cwd=d)
    line = one_line(r, 4)
    check("symbolic link" in line, line)
    check(open(victim).read() == "precious\n", "the planted folder link was written through")


@case("outputs", "plan_dir_fifo_refused")
def _(e):
    d = demo(e)
    os.makedirs(e.path("out"))
    os.mkfifo(e.path("out", "graph.json"))
    r = e.run("plan", d, "--no-cache", "--no-render", "-o", e.path("out"), timeout=30)
    check(r.code == 4, "exit %d, want 4: %s" % (r.code, r.text[:300]))


@case("outputs", "shard_symlink_to_dev_full")
def _(e):
    link = e.path("full")
    os.symlink("/dev/full", link)
    r = e.run("scan", demo(e), "--no-cache", "--shard", "1/1", "-o", link)
    check(r.code == 4 and os.path.islink(link), "exit %d; the shard output was not checked" % r.code)


def interrupted(e, sig):
    d = e.project("proj", {"main.c": "#include \"config.h\"\n" + MAIN_DECL,
                           "big.c": "int f0(void) { return 0; }\n" + "".join(
                               "int f%d(void) { return f%d() + 1; }\n" % (i, i - 1)
                               for i in range(1, 200000))})
    tmp = e.path("tmp")
    os.makedirs(tmp)
    env = dict(os.environ, TMPDIR=tmp)
    p = subprocess.Popen([e.cleave, "scan", d, "--no-cache", "-j1", "-o", e.path("g.json")],
                         stderr=subprocess.DEVNULL, env=env)
    deadline = time.time() + TIMEOUT
    while not os.listdir(tmp) and p.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    check(os.listdir(tmp), "the scan made no stand-in directory")
    time.sleep(0.5)  # into the parse
    p.send_signal(sig)
    code = p.wait(TIMEOUT)
    check(code == -sig, "exit %s, want death by signal %d" % (code, sig))
    check(os.listdir(tmp) == [], "left behind: %s" % os.listdir(tmp))


case("outputs", "sigint_removes_standins")(lambda e: interrupted(e, signal.SIGINT))
case("outputs", "sigterm_removes_standins")(lambda e: interrupted(e, signal.SIGTERM))
case("outputs", "sighup_removes_standins")(lambda e: interrupted(e, signal.SIGHUP))


# ---- readers -----------------------------------------------------------------

def small_plan(e):
    d = demo(e)
    r = e.run("plan", d, "--no-cache", "--no-render", "-q", "-o", e.path("out"))
    check(r.code == 0, r.text)
    return d, e.path("out", "plan.json"), e.path("out", "graph.json")


def fifo(e, rel):
    p = e.path(rel)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    os.mkfifo(p)
    return p


def refuses_fifo(e, *args):
    r = e.run(*args, timeout=20)
    line = one_line(r, 2)
    check("not a regular file" in line, line)


@case("readers", "fifo_config")
def _(e):
    d, plan, graph = small_plan(e)
    refuses_fifo(e, "plan", "--graph", graph, "--config", fifo(e, "c.json"), "-o", e.path("o2"))


@case("readers", "fifo_cleave_json_in_tree")
def _(e):
    d, plan, graph = small_plan(e)
    fifo(e, "proj/cleave.json")
    refuses_fifo(e, "plan", d, "--no-cache", "-q", "--no-render", "-o", e.path("o2"))


@case("readers", "fifo_plan")
def _(e):
    d, plan, graph = small_plan(e)
    refuses_fifo(e, "check", "--graph", graph, "--plan", fifo(e, "p.json"))


@case("readers", "fifo_baseline")
def _(e):
    d, plan, graph = small_plan(e)
    refuses_fifo(e, "check", "--graph", graph, "--plan", plan, "--baseline", fifo(e, "b.json"))


@case("readers", "fifo_graph")
def _(e):
    refuses_fifo(e, "graph", "--graph", fifo(e, "g.json"))


@case("readers", "fifo_compare_input")
def _(e):
    d, plan, graph = small_plan(e)
    refuses_fifo(e, "compare", plan, fifo(e, "b.rsf"))


@case("readers", "fifo_merge_input")
def _(e):
    refuses_fifo(e, "merge", fifo(e, "s.facts"))


# a FIFO in the tree: as the database, as a header, as a source
for name, main, where in (("fifo_compile_db", MAIN_DECL, "compile_commands.json"),
                          ("fifo_header_srctree", "#include \"f.h\"\n" + MAIN_DECL, "f.h"),
                          ("fifo_source_srctree", MAIN_DECL, "other.c")):
    def run(e, main=main, where=where):
        d = e.project("proj", {"main.c": main})
        fifo(e, os.path.join("proj", where))
        refuses_fifo(e, "scan", d, "--no-cache")
    case("readers", name)(run)


@case("readers", "fifo_source_in_db")
def _(e):
    d = e.project("proj", {"main.c": MAIN_DECL}, [("main.c", []), ("f.c", [])])
    fifo(e, "proj/f.c")
    out = e.path("g.json")
    r = e.run("scan", d, "--no-cache", "-o", out, timeout=20)
    check(r.code == 0 and "not a regular file" in r.text, "not refused with a warning: %s" % r.text)


@case("readers", "device_config")
def _(e):
    d, plan, graph = small_plan(e)
    r = e.run("plan", "--graph", graph, "--config", "/dev/zero", "-o", e.path("o2"), timeout=20)
    line = one_line(r, 2)
    check("not a regular file" in line, line)


@case("readers", "glob_14_stars")
def _(e):
    name = "a" * 58 + ".c"
    d = e.project("proj", {name: "int fa(void) { return 0; }\n", "main.c": MAIN_DECL},
                  [(name, []), ("main.c", [])])
    e.write("proj/cleave.json", json.dumps({"plan": {"pin": [
        {"service": "s", "files": ["*a" * 14 + "b"]}, {"service": "t", "functions": ["main"]}]}}))
    t0 = time.time()
    r = e.run("plan", d, "--no-cache", "--no-render", "-q", "-o", e.path("out"), timeout=30)
    check(r.code == 0, r.text[:300])
    check(time.time() - t0 < 20, "a glob of 14 stars took %.1f s" % (time.time() - t0))


@case("readers", "non_utf8_file_name")
def _(e):
    d = e.path("proj")
    os.makedirs(d)
    bad = os.path.join(d.encode(), b"caf\xe9\xff.c")
    with open(bad, "w") as f:
        f.write("int latin(void) { return 0; }\nint main(void) { return latin(); }\n")
    out = e.path("g.json")
    r = e.run("plan", d, "--no-cache", "--no-render", "-q", "-o", e.path("out"))
    check(r.code == 0, r.text[:300])
    for f in ("plan.json", "graph.json"):
        with open(e.path("out", f), "rb") as fh:
            doc = json.loads(fh.read().decode("utf-8"))  # raises on invalid UTF-8 or JSON
    check(any(u["file"] == "caf\u00e9\u00ff.c" for u in graph_of(e.path("out/graph.json"))["units"]),
          "the name is not escaped as documented (Latin-1 code points)")


def bad_number(e, number, make):
    path, args = make(e, number)
    r = e.run(*args)
    line = one_line(r, 2)
    check(line.startswith("cleave: %s:" % path) and ("bad number" in line or "out of range" in line
                                                    or "expected ','" in line), line)


def plan_with(e, number):
    d, plan, graph = small_plan(e)
    text = open(plan).read().replace('"schema":', '"x": %s,\n\t"schema":' % number, 1)
    open(plan, "w").write(text)
    return plan, ["check", "--graph", graph, "--plan", plan]


def config_with(e, number):
    d, plan, graph = small_plan(e)
    p = e.write("c.json", '{"plan": {"resolution": %s}}' % number)
    return p, ["plan", "--graph", graph, "--config", p, "-o", e.path("o2")]


def baseline_with(e, number):
    d, plan, graph = small_plan(e)
    p = e.write("b.json", '{"schema": "cleave.baseline/1", "n": %s, "findings": []}' % number)
    return p, ["check", "--graph", graph, "--plan", plan, "--baseline", p]


def compare_with(e, number):
    d, plan, graph = small_plan(e)
    p = e.write("c.json", '{"x": %s, "clusters": {}}' % number)
    return p, ["compare", plan, p]


for number, label in (("01", "leading_zero"), ("1.", "bare_point"), ("-.5", "no_integer"),
                      ("1.e5", "point_exponent"), ("1e999", "infinite")):
    for make, where in ((plan_with, "plan"), (config_with, "config"), (baseline_with, "baseline"),
                        (compare_with, "compare")):
        case("readers", "number_%s_%s" % (label, where))(
            lambda e, n=number, m=make: bad_number(e, n, m))


@case("readers", "missing_plan_says_why")
def _(e):
    d, plan, graph = small_plan(e)
    r = e.run("check", "--graph", graph, "--plan", e.path("nope.json"))
    line = one_line(r, 2)
    check(line.endswith(": No such file or directory"), line)


@case("readers", "missing_baseline_says_why")
def _(e):
    d, plan, graph = small_plan(e)
    r = e.run("check", "--graph", graph, "--plan", plan, "--baseline", e.path("nope.json"))
    line = one_line(r, 2)
    check(line.endswith(": No such file or directory"), line)


# ---- messages ----------------------------------------------------------------

def clean_stderr(r):
    for c in r.err:
        check(c >= 0x20 or c == 0x0a, "a control byte 0x%02x reached stderr: %r" % (c, r.text[:300]))
    check(b"\xc2\x9b" not in r.err, "a C1 control reached stderr")


# an input file whose text comes back in a one-line error: (case, file,
# text, the command, {p} standing for the file)
ECHOED = (
    ("config_key_escape", "c.json", '{"\\u001b[2J\\u001b]0;pwned\\u0007": 1}',
     ["plan", "--graph", "{graph}", "--config", "{p}", "-o", "{o2}"]),
    ("config_key_newline", "c.json", '{"a\\nerror: fake line": 1}',
     ["plan", "--graph", "{graph}", "--config", "{p}", "-o", "{o2}"]),
    ("config_service_escape", "c.json",
     '{"rules": {"forbidden": [{"from": "x\\u001b[31m", "to": ["y"]}]}}',
     ["check", "--graph", "{graph}", "--plan", "{plan}", "--config", "{p}"]),
    ("plan_string_escape", "p.json", '{"schema": "cleave.plan/1\\u001b[2J"}',
     ["check", "--graph", "{graph}", "--plan", "{p}"]),
)
for name, fname, text, args in ECHOED:
    def run(e, fname=fname, text=text, args=args):
        d, plan, graph = small_plan(e)
        p = e.write(fname, text)
        r = e.run(*[x.format(graph=graph, plan=plan, p=p, o2=e.path("o2")) for x in args])
        one_line(r, 2)
        clean_stderr(r)
    case("messages", name)(run)


@case("messages", "graph_string_escape")
def _(e):
    d, plan, graph = small_plan(e)
    g = json.load(open(graph))
    g["units"][0]["status"] = "\u001b[2Jok"
    p = e.write("bad.json", json.dumps(g))
    r = e.run("graph", "--graph", p)
    one_line(r, 2)
    clean_stderr(r)


@case("messages", "explain_name_escape")
def _(e):
    d, plan, graph = small_plan(e)
    r = e.run("explain", "x\u001b[2J\u001b]0;pwned\u0007y", "--plan", plan)
    line = one_line(r, 2)
    check("no function" in line, line)
    clean_stderr(r)


@case("messages", "compile_db_file_escape")
def _(e):
    d = e.project("proj", {"main.c": MAIN_DECL}, [("main.c", []), ("/tmp/\u001b[2J\nx.c", [])])
    r = e.run("scan", d, "--no-cache", "-o", e.path("g.json"))
    check(r.code == 0, r.text[:300])
    clean_stderr(r)


@case("messages", "file_name_escape")
def _(e):
    d = e.project("proj", {"main.c": MAIN_DECL, "\u001b[2Jbad.c": "int broken(void) { return }\n"})
    r = e.run("scan", d, "--no-cache", "-o", e.path("g.json"))
    check(r.code == 0, r.text[:300])
    check("bad.c" in r.text, "the broken unit is not reported")
    clean_stderr(r)


@case("messages", "error_directive_escape")
def _(e):
    d = e.project("proj", {"main.c": MAIN_DECL, "e.c": "#error \u001b]0;pwned\u0007\u001b[2J\n"},
                  [("main.c", []), ("e.c", [])])
    r = e.run("scan", d, "--no-cache", "-o", e.path("g.json"))
    check(r.code == 0, r.text[:300])
    check("#error" in r.text or "e.c" in r.text, "the unit's error is not reported")
    clean_stderr(r)


@case("messages", "include_name_escape")
def _(e):
    d = e.project("proj", {"main.c": "#include \"\u001b[2Jx.h\"\n" + MAIN_DECL})
    r = e.run("scan", d, "--no-cache", "-o", e.path("g.json"))
    check(r.code == 0, r.text[:300])
    clean_stderr(r)


@case("messages", "libclang_quiet")
def _(e):
    d = demo(e)
    r = e.run("scan", d, "--no-cache", "-q", "-o", e.path("g.json"),
              env={"LIBCLANG_TIMING": "1", "LIBCLANG_RESOURCE_USAGE": "1"})
    check(r.code == 0 and r.err == b"", "stderr under -q: %r" % r.text[:300])


# tgkill(2): a signal to one thread of another process
TGKILL = {"x86_64": 234, "aarch64": 131}


def abort_parse(e, quiet):
    """Scans GOOD and aaa_slow.c, which never finishes, with one worker, and
    sends SIGABRT to the thread libclang parses it on: libclang's crash
    recovery catches it, prints its crash report (as it does after running
    out of memory) and fails the unit.  Returns the run and whether the
    unit failed so: a signal that lands while the parse holds a lock of
    the allocator leaves it held when the recovery jumps out, and the
    worker then waits for it until --unit-timeout."""
    libc = ctypes.CDLL(None, use_errno=True)
    nr = TGKILL.get(os.uname().machine)
    check(nr is not None, "no tgkill number for " + os.uname().machine)
    # the biggest unit is parsed first
    slow = ("/*%s*/\n#if __INCLUDE_LEVEL__ < 24\n#include \"aaa_slow.c\"\n"
            "#include \"aaa_slow.c\"\n#else\nint x;\n#endif\n" % ("-" * 1000))
    d = good_project(e, "proj", {"aaa_slow.c": slow})
    p = subprocess.Popen([e.cleave, "scan", d, "--no-cache", "-j1", "--unit-timeout", "10",
                          "-o", e.path("g.json")] + (["-q"] if quiet else []),
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        parser, deadline = None, time.time() + TIMEOUT
        while parser is None and p.poll() is None and time.time() < deadline:
            time.sleep(0.05)
            try:
                kids = open("/proc/%d/task/%d/children" % (p.pid, p.pid)).read().split()
                tids = [int(t) for t in os.listdir("/proc/%s/task" % kids[0])] if kids else []
            except OSError:
                continue
            if len(tids) > 1:  # the worker's main thread and libclang's
                worker, parser = int(kids[0]), max(t for t in tids if t != int(kids[0]))
        check(parser is not None, "no worker parsing on a thread of libclang's")
        time.sleep(0.5)  # into the parse, under the crash recovery
        check(libc.syscall(nr, worker, parser, signal.SIGABRT) == 0, "tgkill failed")
        err = p.communicate(timeout=TIMEOUT)[1]
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    r = Run(p.returncode, b"", err)
    check(r.code == 0, "scan exited %d: %s" % (r.code, r.text[-1000:]))
    u = unit_of(graph_of(e.path("g.json")), "aaa_slow.c")
    crashed = ["aaa_slow.c: libclang crashed on this unit"]
    check(u["status"] == "failed" and
          u["errors"] in (crashed, ["aaa_slow.c: timed out after 10 s (--unit-timeout)"]),
          "the aborted unit: %s" % u)
    return r, u["errors"] == crashed


@case("messages", "libclang_crash_report_quiet")
def _(e):
    for _ in range(3):
        r, crashed = abort_parse(e, quiet=False)
        if crashed:
            break
    # the control: libclang does print its report, and cleave names the unit
    check(crashed and "libclang: crash detected during parsing" in r.text and
          "aaa_slow.c: libclang crashed on this unit" in r.text, "stderr: " + r.text[-1000:])
    for _ in range(3):
        r, crashed = abort_parse(e, quiet=True)
        check(r.err == b"", "stderr under -q: %r" % r.text[:500])
        if crashed:
            break
    check(crashed, "libclang's crash recovery never ran under -q")


# ---- config ------------------------------------------------------------------

def check_config(e, cfg):
    d, plan, graph = small_plan(e)
    p = e.write("c.json", json.dumps(cfg, indent=2))
    r = e.run("check", "--graph", graph, "--plan", plan, "--config", p)
    line = one_line(r, 2)
    check(line.startswith("cleave: %s:" % p) and "is not in the plan" in line, line)
    check(line.split(":")[2].isdigit() and line.split(":")[3].isdigit(), "no line:col: " + line)


def rule_case(kind):
    def run(e):
        d, plan, graph = small_plan(e)
        real = json.load(open(plan))["services"][0]["name"]
        rules = {
            "forbidden_from": {"forbidden": [{"from": "nosuch", "to": [real]}]},
            "forbidden_to": {"forbidden": [{"from": real, "to": ["nosuch"]}]},
            "allowed_to": {"allowed": [{"from": real, "to": ["nosuch"]}]},
            "layers": {"layers": [[real], ["nosuch"]]},
            "independent": {"independent": [[real, "nosuch"]]},
            "placement": {"placement": [{"service": "nosuch", "files": ["*.c"]}]},
        }[kind]
        check_config(e, {"rules": rules})
    case("config", "check_unknown_service_" + kind)(run)


for kind in ("forbidden_from", "forbidden_to", "allowed_to", "layers", "independent", "placement"):
    rule_case(kind)


def plan_config(e, cfg):
    d = demo(e)
    p = e.write("c.json", json.dumps(cfg, indent=2))
    r = e.run("plan", d, "--no-cache", "--no-render", "-q", "--config", p, "-o", e.path("out"))
    return r, p


for kind, cfg in (("keep_apart", {"plan": {"keep_apart": [["main", "nosuch"]]}}),
                  ("keep_together", {"plan": {"keep_together": [["nosuch", "main"]]}}),
                  ("pin_function", {"plan": {"pin": [{"service": "s", "functions": ["nosuch"]}]}})):
    def run(e, cfg=cfg):
        r, p = plan_config(e, cfg)
        line = one_line(r, 2)
        check(line.startswith("cleave: %s:" % p) and "is not in the code" in line, line)
        check(not os.path.exists(e.path("out", "plan.json")), "a plan was written")
    case("config", "plan_unknown_id_" + kind)(run)


@case("config", "plan_id_suggestion")
def _(e):
    r, p = plan_config(e, {"plan": {"keep_apart": [["main", "helpr"]]}})
    line = one_line(r, 2)
    check('did you mean "helper"' in line, line)


@case("config", "non_finite_resolution_in_config")
def _(e):
    p = e.write("c.json", '{"plan": {"resolution": 1e999}}')
    r = e.run("plan", demo(e), "--no-cache", "--no-render", "--config", p, "-o", e.path("out"))
    one_line(r, 2)


@case("config", "non_finite_price_in_config")
def _(e):
    p = e.write("c.json", '{"fitness": {"cost": {"per_invocation": -1e400}}}')
    r = e.run("plan", demo(e), "--no-cache", "--no-render", "--config", p, "-o", e.path("out"))
    one_line(r, 2)


@case("config", "resolution_inf_option")
def _(e):
    r = e.run("plan", demo(e), "--no-cache", "--resolution", "inf", "-o", e.path("out"))
    check(r.code == 2, "--resolution inf taken: %d" % r.code)


@case("config", "known_names_pass")
def _(e):
    d = demo(e)
    pins = e.write("pins.json", json.dumps({"plan": {"pin": [{"service": "a", "functions": ["main"]},
                                                             {"service": "b", "functions": ["util"]}]}}))
    r = e.run("plan", d, "--no-cache", "--no-render", "-q", "--config", pins, "-o", e.path("out"))
    check(r.code == 0, r.text[:300])
    p = e.write("c.json", json.dumps({"rules": {"independent": [["a", "b"]], "layers": [["a"], ["b"]],
                                                "forbidden": [{"from": "b", "to": ["a"]}]}}))
    r = e.run("check", "--graph", e.path("out/graph.json"), "--plan", e.path("out/plan.json"),
              "--config", p)
    check(r.code in (0, 1), "services of the plan refused: %s" % r.text[:300])


# ---- crash -------------------------------------------------------------------

GOOD = {
    "main.c": "int util_add(int a, int b);\nint counter;\n"
              "int main(void) { counter = util_add(1, 2); return counter; }\n",
    "util.c": "extern int counter;\nint util_add(int a, int b) { counter++; return a + b; }\n",
}


def good_project(e, rel, extra=None, args=()):
    """GOOD and the extra files (name -> text), each .c file in the
    compile database with args."""
    files = dict(GOOD, **(extra or {}))
    return e.project(rel, files, [(n, ["-std=c11"] + list(args)) for n in sorted(files)
                                  if n.endswith(".c")])


def fresh(e, rel):
    shutil.rmtree(e.path(rel), ignore_errors=True)
    os.makedirs(e.path(rel))
    return e.path(rel)


def unit_of(g, name):
    for u in g["units"]:
        if u["file"] == name:
            return u
    raise Fail(name + " is not among the graph's units")


def without(text, bad):
    """The graph's lines but the summary and the bad unit's (graph.json has
    one unit per line)."""
    return [l for l in text.splitlines()
            if not l.startswith('  "summary":') and '{"file":"%s"' % bad not in l]


def crashed(u, r):
    check(u["status"] == "failed", "the bad unit is %s" % u["status"])
    check(any("the parse crashed (signal" in x for x in u["errors"]), "errors: %s" % u["errors"])
    check("aaa_bad.c: the parse crashed (signal" in r.text,
          "stderr does not name the crash: " + r.text[-1000:])


def alone(e, bad_text, args=(), want=crashed, rest=True):
    """A tree of GOOD and aaa_bad.c (first in every sorted list) scanned
    with 2 workers: want(unit, run) holds of the bad unit and, with rest,
    the rest of the graph is the graph of the tree without it."""
    d = good_project(e, "bad", {"aaa_bad.c": bad_text}, args)
    ref = good_project(e, "ref", None, args)
    r = e.run("scan", d, "--no-cache", "-j", "2", "-o", e.path("bad.json"), timeout=300)
    check(r.code == 0, "scan exited %d: %s" % (r.code, r.text[-2000:]))
    g = open(e.path("bad.json"), encoding="utf-8").read()
    want(unit_of(json.loads(g), "aaa_bad.c"), r)
    if not rest:
        return
    r = e.run("scan", ref, "--no-cache", "-j", "2", "-o", e.path("ref.json"))
    check(r.code == 0, "the scan without the bad unit exited %d" % r.code)
    h = open(e.path("ref.json"), encoding="utf-8").read()
    check(without(g, "aaa_bad.c") == without(h.replace(ref, d), "aaa_bad.c"),
          "the rest of the graph differs from the scan without the bad unit")


case("crash", "unary_minuses")(
    lambda e: alone(e, "int f(void) { return " + "-" * 50000 + "1; }\n"))
case("crash", "long_expression")(
    lambda e: alone(e, "int f(int x) { return " + "+".join(["x"] * 100000) + "; }\n"))
case("crash", "ten_mb_line")(
    lambda e: alone(e, "int v;\nint f(void) { return 0" + "+v" * (5 << 20) + "; }\n"))


def bracket_depth_refused(u, r):
    check(u["status"] == "partial" and
          any("bracket nesting level exceeded" in x for x in u["errors"]), "the unit: %s" % u)
    check("-fbracket-depth=" in r.text, "the dropped flag is not named: " + r.text[-1000:])


@case("crash", "nested_calls")
def _(e):
    # libclang overflows its stack on 5,000 nested calls only when a
    # database raises -fbracket-depth; that flag no longer reaches it (the
    # allow-list), so clang stops at 256 brackets with an error and the
    # unit is partial (what it declared before the error is kept)
    alone(e, "int g(int x) { return x; }\nint f(int x) { return " + "g(" * 5000 + "x" +
          ")" * 5000 + "; }\n", args=["-fbracket-depth=100000"], want=bracket_depth_refused,
          rest=False)


# ---- nesting -----------------------------------------------------------------

def deep(e, text):
    d = e.project("proj", {"deep.c": text}, [("deep.c", ["-std=c11"])])
    r = e.run("scan", d, "--no-cache", "-o", e.path("g.json"), timeout=300)
    check(r.code == 0, "scan exited %d: %s" % (r.code, r.text[-2000:]))
    g = graph_of(e.path("g.json"))
    check(g["units"][0]["status"] == "ok", "deep.c is %s" % g["units"][0]["status"])
    return g


@case("nesting", "nested_ifs")
def _(e):
    g = deep(e, "int x;\nvoid f(void) { " + "if (x) " * 5000 + "x = 1; }\n")
    acc = {(a["global"], a["mode"]): a["count"] for a in g["accesses"]}
    check(acc.get(("x", "read")) == 5000 and acc.get(("x", "write")) == 1,
          "accesses of x: %s" % acc)


@case("nesting", "nested_loops")
def _(e):
    g = deep(e, "int x;\nvoid g(void);\nvoid f(void) { " + "while (x) " * 5000 + "g(); }\n")
    calls = [c for c in g["calls"] if c["from"] == "f" and c["to"] == "g"]
    check(len(calls) == 1 and calls[0]["loop_depth"] == 5000, "calls of g: %s" % calls)


# ---- timeout -----------------------------------------------------------------

def slow(e, text, setup=None):
    """aaa_slow.c never finishes: it fails after --unit-timeout 2, the
    others parse, and the scan ends well before the test's limit."""
    d = good_project(e, "proj", {"aaa_slow.c": text})
    if setup:
        setup(d)
    t = time.monotonic()
    r = e.run("scan", d, "--no-cache", "-j", "2", "--unit-timeout", "2", "-o", e.path("g.json"))
    took = time.monotonic() - t
    check(r.code == 0, "scan exited %d: %s" % (r.code, r.text[-2000:]))
    check(took < 30, "the scan took %.0f s" % took)
    g = graph_of(e.path("g.json"))
    u = unit_of(g, "aaa_slow.c")
    check(u["status"] == "failed" and
          u["errors"] == ["aaa_slow.c: timed out after 2 s (--unit-timeout)"], "the slow unit: %s" % u)
    check(unit_of(g, "main.c")["status"] == "ok" and unit_of(g, "util.c")["status"] == "ok",
          "the other units did not parse")


# each level includes itself twice: 2^24 inclusions
case("timeout", "include_explosion")(
    lambda e: slow(e, "#if __INCLUDE_LEVEL__ < 24\n#include \"aaa_slow.c\"\n"
                      "#include \"aaa_slow.c\"\n#else\nint x;\n#endif\n"))
case("timeout", "fifo_header")(
    lambda e: slow(e, "#include \"pipe.h\"\nint y;\n",
                   lambda d: os.mkfifo(os.path.join(d, "pipe.h"))))


# ---- cache -------------------------------------------------------------------

def keyed(key):
    return {"CLEAVE_CACHE_KEY": key} if key else None


@case("cache", "symlinked_cache")
def _(e):
    d = good_project(e, "proj")
    outside = fresh(e, "outside")
    os.symlink(outside, os.path.join(d, ".cleave-cache"))
    r = e.run("scan", d, "-o", e.path("g.json"))
    check(r.code == 0, "scan exited %d: %s" % (r.code, r.text))
    check(".cleave-cache: a symbolic link, not a directory; scanning without a cache" in r.text,
          "no warning: " + r.text)
    check(os.listdir(outside) == [], "written through the link: %s" % os.listdir(outside))
    r = e.run("scan", d, "--no-cache", "-o", e.path("nocache.json"))
    check(open(e.path("g.json")).read() == open(e.path("nocache.json")).read(),
          "not the graph of a scan without a cache")


FORBIDDEN = "[forbidden-dependency] billing_charge (billing) calls reporting_show"


@case("cache", "forged_entry")
def _(e):
    d = e.path("proj")
    shutil.copytree(os.path.join(e.source, "fixtures", "check_bad"), d)
    for key in (None, "k3y-of-the-trusted-job"):
        cache = fresh(e, "cache")
        args = ["check", d, "--plan", os.path.join(d, "plan.json"), "--cache-dir", cache]
        r = e.run(*args, env=keyed(key))
        out = r.out.decode("utf-8", "replace")
        check(r.code == 1 and FORBIDDEN in out, "the violation is not found at first: " + out + r.text)
        e.forged("drop-call", cache, "billing_charge", "reporting_show")
        r = e.run(*args, env=keyed(key))
        out = r.out.decode("utf-8", "replace")
        if key:
            check(FORBIDDEN in out, "the forged entry hid the call under the key: " + out)
            check("1 cache entries refused (not signed with CLEAVE_CACHE_KEY)" in r.text,
                  "the refusal is not counted: " + r.text)
        else:
            # without a key a forged entry is believed: docs/security.md
            check(FORBIDDEN not in out, "the forged entry was not used without a key")


@case("cache", "forged_graph")
def _(e):
    d = good_project(e, "proj")
    fake = e.write("fake.json", '{"forged": true}\n')
    for key in (None, "k3y"):
        cache = fresh(e, "cache")
        r = e.run("scan", d, "--cache-dir", cache, "-o", e.path("first.json"), env=keyed(key))
        check(r.code == 0, r.text)
        e.forged("set-graph", cache, fake)
        r = e.run("scan", d, "--cache-dir", cache, "-o", e.path("second.json"), env=keyed(key))
        check(r.code == 0, r.text)
        second = open(e.path("second.json")).read()
        if key:
            check(second == open(e.path("first.json")).read(), "the forged graph was written")
        else:
            check(second == open(fake).read(), "without a key the forged graph is believed")


@case("cache", "unsigned_cache")
def _(e):
    d = good_project(e, "proj")
    cache = fresh(e, "cache")
    e.run("scan", d, "--cache-dir", cache, "-o", e.path("plain.json"))
    r = e.run("scan", d, "--cache-dir", cache, "-o", e.path("keyed.json"), env=keyed("k"))
    check("; 2 parsed, 0 cached; 2 cache entries refused" in r.text, "not refused: " + r.text)
    check(open(e.path("plain.json")).read() == open(e.path("keyed.json")).read(), "another graph")
    r = e.run("scan", d, "--cache-dir", cache, "-o", e.path("again.json"), env=keyed("k"))
    check("; 0 parsed, 2 cached\n" in r.text, "the signed entries are not used: " + r.text)


# ---- shard -------------------------------------------------------------------

def shards(e, rel, key=None):
    d = good_project(e, rel)
    files = []
    for k in (1, 2):
        f = e.path("%s-%d.facts" % (rel, k))
        r = e.run("scan", d, "--no-cache", "--shard", "%d/2" % k, "-o", f, env=keyed(key))
        check(r.code == 0, "shard %d: %s" % (k, r.text))
        files.append(f)
    return d, files


@case("shard", "slice_count_overflow")
def _(e):
    d, files = shards(e, "proj")
    e.forged("slices", files[0], "4294967295")
    r = e.run("merge", files[0], "-o", e.path("g.json"))
    line = one_line(r, 2)
    check(line == "cleave: merge: slice 2/4294967295 is missing", line)
    check(not os.path.exists(e.path("g.json")), "a graph was written")


@case("shard", "unsigned_shard")
def _(e):
    d, plain = shards(e, "plain")
    r = e.run("merge", *plain, "-o", e.path("g.json"), env=keyed("k"))
    line = one_line(r, 2)
    check("not signed with the key in CLEAVE_CACHE_KEY" in line, line)
    d2, signed = shards(e, "signed", key="k")
    r = e.run("merge", *signed, "-o", e.path("signed.json"), env=keyed("k"))
    check(r.code == 0, "signed shards refused: " + r.text)
    r = e.run("merge", *plain, "-o", e.path("g.json"))
    check(r.code == 0, "unsigned shards refused without a key: " + r.text)
    check(open(e.path("g.json")).read().replace(d, "D") ==
          open(e.path("signed.json")).read().replace(d2, "D"), "the signed merge differs")


# ---- the driver --------------------------------------------------------------

CLASSES = ["flags", "paths", "outputs", "readers", "messages", "config", "crash", "nesting",
           "timeout", "cache", "shard"]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cleave")
    ap.add_argument("--forge")
    ap.add_argument("--source")
    ap.add_argument("--work")
    ap.add_argument("--class", dest="classes", action="append", choices=CLASSES)
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args()
    chosen = [c for c in CASES if not a.classes or c[0] in a.classes]
    if a.list:
        for cls, name, _ in chosen:
            print("%s/%s" % (cls, name))
        return 0
    if not a.cleave or not a.work or not a.forge or not a.source:
        ap.error("--cleave, --forge, --source and --work are required")
    cleave, forge = os.path.abspath(a.cleave), os.path.abspath(a.forge)
    source, work = os.path.abspath(a.source), os.path.abspath(a.work)
    # the cases that want a key set it themselves
    os.environ.pop("CLEAVE_CACHE_KEY", None)
    shutil.rmtree(work, ignore_errors=True)
    counts = {}
    failed = 0
    for cls, name, fn in chosen:
        root = os.path.join(work, cls, name)
        os.makedirs(root)
        try:
            fn(Env(cleave, root, forge, source))
            ok, why = True, ""
        except Fail as f:
            ok, why = False, str(f)
        except Exception as x:  # the output was not what a case can even read
            ok, why = False, "%s: %s" % (type(x).__name__, x)
        tried, handled = counts.get(cls, (0, 0))
        counts[cls] = (tried + 1, handled + ok)
        failed += not ok
        print("%s %s/%s%s" % ("ok  " if ok else "FAIL", cls, name, ": " + why if why else ""))
        sys.stdout.flush()
    for cls in CLASSES:
        if cls in counts:
            print("%-9s %3d tried, %3d handled" % (cls, *counts[cls]))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
