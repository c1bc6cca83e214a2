#!/usr/bin/env python3
"""dockerfile.py - the container recipe (Dockerfile), without Docker.

No Docker engine is at hand where the tests run, so the image is not
built here; what can be checked without one is:

- every stage starts FROM Debian 12 (debian:12 or debian:bookworm);
- the build stage installs exactly the Makefile's BUILD_PACKAGES and
  DEB_PACKAGES, plus git (the commit --version names), and every package
  the Dockerfile names exists in this Debian (apt-cache show; a name that
  does not exist must fail the same way);
- its build commands are, line for line, the README's package build (the
  block after the "the package build" comment) and the Makefile's `deb`
  recipe;
- the runtime stage copies the .deb from a stage that exists, installs it
  with apt-get (so the package's Depends bring the runtime libraries) and
  names no other package, and runs cleave;
- .dockerignore keeps the build trees out of the context.

usage: dockerfile.py --source DIR
"""
import os
import re
import shlex
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2elib import arguments, fail, failures  # noqa: E402

def instructions(text):
    """(INSTRUCTION, argument) of a Dockerfile, continuation lines joined."""
    out, cur = [], ""
    for line in text.splitlines():
        if not cur and (not line.strip() or line.lstrip().startswith("#")):
            continue
        if line.rstrip().endswith("\\"):
            cur += line.rstrip()[:-1] + " "
            continue
        cur += line
        word, _, arg = cur.strip().partition(" ")
        out.append((word.upper(), " ".join(arg.split())))
        cur = ""
    return out


def apt_packages(cmd):
    """The packages of every `apt-get install` in a shell command."""
    pkgs = []
    for part in re.split(r"&&|;|\|\|", cmd):
        words = shlex.split(part)
        while words and "=" in words[0]:
            words.pop(0)
        if words[:1] == ["env"]:
            words.pop(0)
            while words and "=" in words[0]:
                words.pop(0)
        if words[:2] in (["apt-get", "install"], ["apt", "install"]):
            pkgs += [w for w in words[2:] if not w.startswith("-")]
    return pkgs


def makefile_var(text, name):
    m = re.search(r"^%s :?= (.*)$" % name, text, re.M)
    return m.group(1).split() if m else []


def known(pkgs):
    """Which of pkgs this Debian's package lists know (one apt-cache run)."""
    r = subprocess.run(["apt-cache", "show", "--no-all-versions", *pkgs], capture_output=True,
                       text=True)
    return set(re.findall(r"^Package: (\S+)$", r.stdout, re.M)) & set(pkgs)


def main():
    a = arguments("source")

    def read(name):
        with open(os.path.join(a.source, name), encoding="utf-8") as f:
            return f.read()

    ins = instructions(read("Dockerfile"))
    stages, cur = [], None
    for word, arg in ins:
        if word == "FROM":
            m = re.fullmatch(r"(\S+)(?: AS (\S+))?", arg, re.I)
            cur = {"image": m.group(1), "name": m.group(2), "ins": []}
            stages.append(cur)
        elif cur is None:
            fail(f"Dockerfile: {word} before the first FROM")
        else:
            cur["ins"].append((word, arg))
    if len(stages) != 2:
        fail(f"Dockerfile: {len(stages)} stages, not 2 (build, runtime)")
        return 1
    for st in stages:
        if not re.fullmatch(r"debian:(12|bookworm)(-slim)?", st["image"]):
            fail(f"Dockerfile: a stage FROM {st['image']}, not Debian 12")
    build, runtime = stages

    runs = [arg for w, arg in build["ins"] if w == "RUN"]
    if not runs:
        fail("Dockerfile: the build stage runs nothing")
        return 1
    make = read("Makefile")
    want = set(makefile_var(make, "BUILD_PACKAGES") + makefile_var(make, "DEB_PACKAGES") + ["git"])
    got = set(apt_packages(runs[0]))
    if len(want) < 8 or got != want:
        fail(f"Dockerfile: the build stage installs {sorted(got)}, not the Makefile's "
             f"BUILD_PACKAGES and DEB_PACKAGES and git: {sorted(want)}")
    build_cmds = [" ".join(r.split()) for r in runs[1:]]

    m = re.search(r"<!-- the package build:.*?-->\n```sh\n(.*?)```", read("README.md"), re.S)
    readme_cmds = [" ".join(l.split()) for l in m.group(1).splitlines() if l.strip()] if m else []
    if not readme_cmds:
        fail("README.md: no package build block (```sh after the 'the package build' comment)")
    m = re.search(r"^deb:.*\n((?:\t.*\n)+)", make, re.M)
    make_cmds = [" ".join(l.replace("$$", "$").split()) for l in (m.group(1) if m else "").splitlines()
                 if l.strip().startswith(("cmake", "cpack"))]
    if not (build_cmds == readme_cmds == make_cmds):
        fail("the build commands differ:\n  Dockerfile: %s\n  README:     %s\n  Makefile:   %s"
             % (build_cmds, readme_cmds, make_cmds))

    names = [s["name"] for s in stages if s["name"]]
    copies = [arg for w, arg in runtime["ins"] if w == "COPY"]
    if not any(re.match(r"--from=(\S+) \S*cleave_\*\.deb ", c) and
               re.match(r"--from=(\S+)", c).group(1) in names for c in copies):
        fail("Dockerfile: the runtime stage copies no cleave_*.deb from the build stage")
    rt_pkgs = [p for arg in [x for w, x in runtime["ins"] if w == "RUN"] for p in apt_packages(arg)]
    if not rt_pkgs or not all(p.endswith("cleave_*.deb") for p in rt_pkgs):
        fail(f"Dockerfile: the runtime stage installs {rt_pkgs}: it installs the package alone "
             "(its Depends bring the libraries)")
    if ("ENTRYPOINT", '["cleave"]') not in runtime["ins"]:
        fail('Dockerfile: the image does not run cleave (ENTRYPOINT ["cleave"])')

    ignore = read(".dockerignore").split()
    for d in ("build/", "build-test/", "build-deb/"):
        if d not in ignore:
            fail(f".dockerignore does not leave out {d}")

    named = sorted(got | set(p for p in rt_pkgs if not p.endswith(".deb")))
    bogus = "cleave-no-such-package-at-all"
    found = known(named + [bogus])
    if bogus in found:
        fail("apt-cache show finds a package that does not exist: the check below means nothing")
    for p in named:
        if p not in found:
            fail(f"Dockerfile: no Debian package {p} (apt-cache show; run apt-get update if the "
                 "package lists are missing)")
    print(f"dockerfile: 2 stages on Debian 12, {len(named)} packages found, "
          f"{len(build_cmds)} build commands as in the README and the Makefile; "
          f"{len(failures)} failure(s) (the image itself is not built: no Docker engine)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
