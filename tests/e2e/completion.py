#!/usr/bin/env python3
"""completion.py - the bash and zsh completions (completion/) against --help.

For each shell, what it offers after a typed line is compared with what
`cleave --help` and `cleave <command> --help` say, both ways:

- `cleave <TAB>`: the commands; `cleave -<TAB>`: the global options;
- `cleave CMD -<TAB>`: exactly the options CMD's --help lists;
- `cleave CMD OPT <TAB>` for every option taking a value: its values when
  the usage line enumerates them ("--format text|json"); directories when
  the value is a DIR; *.json files (and directories, to walk into) for the
  options that take a JSON file (JSON_OPTIONS); any file for another FILE;
  nothing for a number or a name;
- `cleave CMD <TAB>`: the positional argument (POSITIONAL);
- the --opt=value form, once per shell.

bash: completion/cleave.bash sourced into a bash that sets COMP_WORDS and
calls _cleave, as readline would.  zsh: completion/_cleave through
compinit in an interactive zsh in a pseudo-terminal (zsh_complete.zsh).
Every line is completed in a directory holding a.json, b.txt and sub/.
First, a copy of the bash completion missing one option must fail, so
this test cannot pass by comparing nothing.

usage: completion.py --cleave BIN --source DIR --work DIR
"""
import os
import re
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import helptext  # noqa: E402
from e2elib import arguments  # noqa: E402

# Options whose FILE is JSON cleave reads: --plan plan.json, --graph
# graph.json, --config cleave.json in the usage lines, and the baselines.
JSON_OPTIONS = {"--plan", "--graph", "--config", "--baseline", "--update-baseline"}
# The positional arguments: a project directory, or files.
POSITIONAL = {"scan": "dirs", "plan": "dirs", "graph": "dirs", "init": "dirs", "check": "dirs",
              "merge": "files", "compare": "files", "report": "json", "explain": "none"}
WORLD = {"dirs": {"sub"}, "json": {"a.json", "sub"}, "files": {"a.json", "b.txt", "sub"},
         "none": set()}


def expected_value(helps, cmd, opt):
    vals = helps[cmd].values(opt)
    if vals:
        return set(vals), "the values " + "|".join(vals)
    if opt.metavar == "DIR":
        return WORLD["dirs"], "directories"
    if opt.metavar == "FILE":
        kind = "json" if opt.long in JSON_OPTIONS else "files"
        return WORLD[kind], "*.json files and directories" if kind == "json" else "files"
    return WORLD["none"], "nothing (a number or a name)"


def queries(cleave_help, helps):
    """(typed line, expected set, what it is) for every check."""
    q = [("cleave ", set(helptext.commands(cleave_help)), "the commands"),
         ("cleave -", cleave_help.names(), "the global options")]
    for cmd, h in helps.items():
        q.append((f"cleave {cmd} -", h.names(), f"the options of {cmd} --help"))
        for opt in h.options:
            if opt.metavar:
                want, what = expected_value(helps, cmd, opt)
                for name in opt.names():
                    q.append((f"cleave {cmd} {name} ", want, what))
        q.append((f"cleave {cmd} ", WORLD[POSITIONAL[cmd]], f"{cmd}'s positional argument"))
    q.append(("cleave check --format=", set(helps["check"].enums["--format"]),
              "the --format=value form"))
    return q


def bash_words(line):
    """COMP_WORDS and COMP_CWORD as bash gives them (COMP_WORDBREAKS has '=')."""
    words = []
    for w in line.split(" "):
        if "=" in w:
            a, b = w.split("=", 1)
            words += [a, "="] + ([b] if b else [])
        else:
            words.append(w)
    return words, len(words) - 1


def run_bash(script, lines, cwd):
    prog = ["source " + shq(script)]
    for line in lines:
        words, cword = bash_words(line)
        prog.append("COMP_WORDS=(%s); COMP_CWORD=%d; COMP_LINE=%s; COMP_POINT=${#COMP_LINE}; "
                    "_cleave; printf '%%s\\n' \"${COMPREPLY[@]}\"; printf '\\036\\n'"
                    % (" ".join(shq(w) for w in words), cword, shq(line)))
    out = subprocess.run(["bash", "--norc", "--noprofile", "-c", "\n".join(prog)], cwd=cwd,
                         capture_output=True, text=True, timeout=60)
    if out.returncode != 0:
        sys.exit("completion.py: bash failed:\n" + out.stderr)
    return split(out.stdout)


def run_zsh(zsh, fpath_dir, lines, cwd):
    here = os.path.dirname(os.path.abspath(__file__))
    out = subprocess.run([zsh, "-f", os.path.join(here, "zsh_complete.zsh"), fpath_dir, *lines],
                         cwd=cwd, capture_output=True, text=True, timeout=120)
    if out.returncode != 0:
        sys.exit("completion.py: zsh_complete.zsh failed (exit %d):\n%s"
                 % (out.returncode, out.stderr))
    return split(out.stdout)


def split(text):
    blocks = text.split("\x1e\n")[:-1]
    return [set(w for w in b.split("\n") if w) for b in blocks]


def shq(s):
    return "'" + s.replace("'", "'\\''") + "'"


def compare(shell, qs, got, say=print):
    """The typed lines whose completions differ from what --help says, each
    told through say."""
    if len(got) != len(qs):
        say(f"FAIL {shell}: {len(got)} answers for {len(qs)} lines")
        return ["(every line)"]
    bad = []
    for (line, want, what), have in zip(qs, got):
        if have != want:
            bad.append(line)
            say(f"FAIL {shell}: '{line}<TAB>' should offer {what}")
            if want - have:
                say("    missing: " + " ".join(sorted(want - have)))
            if have - want:
                say("    extra:   " + " ".join(sorted(have - want)))
    return bad


def main():
    a = arguments("cleave", "source", "work")

    cleave_help = helptext.run_help(a.cleave)
    helps = {c: helptext.run_help(a.cleave, c) for c in helptext.commands(cleave_help)}
    for cmd in helps:
        if cmd not in POSITIONAL:
            print(f"FAIL: command {cmd} has no entry in POSITIONAL (tests/e2e/completion.py): "
                  "add its positional argument there, and the command to completion/")
            return 1
    for cmd, h in helps.items():
        for name in re.findall(r"(--[a-z][a-z0-9-]*) [a-z]+\.json", h.usage):
            if name not in JSON_OPTIONS:
                print(f"FAIL: {cmd}'s usage gives {name} a .json file: add it to JSON_OPTIONS")
                return 1

    shutil.rmtree(a.work, ignore_errors=True)
    world = os.path.join(a.work, "world")
    os.makedirs(os.path.join(world, "sub"))
    for f in ("a.json", "b.txt"):
        open(os.path.join(world, f), "w").close()

    qs = queries(cleave_help, helps)
    lines = [q[0] for q in qs]
    bash_script = os.path.join(a.source, "completion", "cleave.bash")

    answers = run_bash(bash_script, lines, world)
    bad = len(compare("bash", qs, answers))

    # the comparison must see a missing option: a copy of the bash
    # completion without --no-render answers as the real one does but for
    # --no-render after 'cleave plan -', and compare() flags that line
    broken = os.path.join(a.work, "broken.bash")
    with open(bash_script, encoding="utf-8") as f:
        text = f.read()
    if " --no-render" not in text:
        print("FAIL: completion/cleave.bash does not offer --no-render")
        return 1
    with open(broken, "w", encoding="utf-8") as f:
        f.write(text.replace(" --no-render", "", 1))
    without = run_bash(broken, lines, world)
    changed = [(q[0], sorted(x - y), sorted(y - x)) for q, x, y in zip(qs, answers, without)
               if x != y]
    flagged = compare("bash", qs, without, say=lambda _: None)
    if changed != [("cleave plan -", ["--no-render"], [])] or "cleave plan -" not in flagged:
        print(f"FAIL: a completion without --no-render changed {changed} and was flagged on "
              f"{flagged}: tests/e2e/completion.py no longer reads the completions")
        return 1
    zsh = shutil.which("zsh")
    if not zsh:
        print("FAIL: no zsh: install the Debian package zsh (make deps)")
        return 1
    bad += len(compare("zsh", qs, run_zsh(zsh, os.path.join(a.source, "completion"), lines, world)))
    print(f"completion: {len(qs)} lines in bash and zsh, {bad} wrong")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
