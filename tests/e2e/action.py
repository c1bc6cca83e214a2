#!/usr/bin/env python3
"""action.py - the GitHub Action (action.yml), its example workflow
(docs/examples/github-workflow.yml, shown in the README) and the pre-commit
hook manifest (.pre-commit-hooks.yaml).

GitHub's actionlint is not a Debian package, so the checks are made here,
with python3-yaml and python3-jsonschema:

- action.yml, the workflow and the hook manifest parse as YAML and are
  valid against schemas written from GitHub's and pre-commit's documented
  syntax (tests/data/github-action.schema.json,
  github-workflow.schema.json, pre-commit-hooks.schema.json; sources in
  tests/data/README.md);
- every ${{ }} expression of the action names only known contexts and
  functions; every inputs.X it uses is declared and every declared input
  is used; every steps.ID.outputs.Y names an earlier step that writes Y to
  $GITHUB_OUTPUT; no run script holds an expression (inputs reach the
  shell through env:, so none can inject commands); every action it uses
  is pinned to a version;
- the workflow's `with:` names only inputs of the action, and the README's
  CI example is the workflow file, byte for byte;
- the hook runs `cleave check` with options `cleave check --help` lists;
- the action's check step runs: its script, with the environment its env:
  mapping gives (expressions evaluated here), on a copy of
  fixtures/check_bad with the cleave under test: error findings give
  exit-code 1, the Markdown report in the job summary, annotations on
  stdout, the JUnit file and a SARIF log valid against SARIF 2.1.0; a
  baseline of those findings gives exit-code 0; an unknown format gives
  exit-code 2 before anything runs; a compile database given as a file
  is passed as its directory.

usage: action.py --cleave BIN --source DIR --work DIR
"""
import os
import re
import shutil
import subprocess
import sys

try:
    import jsonschema
    import yaml
except ImportError as e:
    sys.exit(f"action.py: {e}: install python3-yaml and python3-jsonschema (make deps) "
             "and run /usr/bin/python3")

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import helptext  # noqa: E402
from e2elib import arguments, fail, failures  # noqa: E402

EXPR = re.compile(r"\$\{\{(.*?)\}\}", re.S)
CONTEXTS = {"github", "runner", "inputs", "steps", "env"}
FUNCTIONS = {"always", "success", "failure", "cancelled", "hashFiles", "contains", "startsWith",
             "endsWith", "format", "join", "toJSON", "fromJSON"}
def load_yaml(path):
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    # YAML 1.1 reads the key `on` as true
    if isinstance(doc, dict) and True in doc:
        doc["on"] = doc.pop(True)
    return doc


def validate(schema_file, doc, what):
    with open(schema_file, encoding="utf-8") as f:
        schema = yaml.safe_load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    for e in sorted(cls(schema).iter_errors(doc), key=lambda e: list(map(str, e.absolute_path))):
        fail(f"{what}: /{'/'.join(map(str, e.absolute_path))}: {e.message}")


def strings(x, path=""):
    """(path, string) for every string in a YAML document; an if: condition
    is an expression whether or not it is written inside ${{ }}."""
    if isinstance(x, dict):
        for k, v in x.items():
            if k == "if" and isinstance(v, str) and not EXPR.search(v):
                v = "${{ " + v + " }}"
            yield from strings(v, f"{path}/{k}")
    elif isinstance(x, list):
        for i, v in enumerate(x):
            yield from strings(v, f"{path}/{i}")
    elif isinstance(x, str):
        yield path, x


def references(expr):
    """The dotted names and function calls of one expression."""
    text = re.sub(r"'(?:[^']|'')*'", "''", expr)
    for m in re.finditer(r"[A-Za-z_][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_*-]+)*(\s*\()?", text):
        yield m.group(0).rstrip("( \t"), bool(m.group(1))


def check_action(action, src):
    inputs = set(action.get("inputs", {}))
    steps = action["runs"]["steps"]
    used, step_outputs = set(), {}
    for i, st in enumerate(steps):
        if "id" in st:
            step_outputs[st["id"]] = (i, set(re.findall(r'echo "([a-z-]+)=', st.get("run", ""))))
        if "run" in st and EXPR.search(st["run"]):
            fail(f"action.yml: step {i} ({st.get('name')}): an expression in run: "
                 "pass it through env: instead")
        if "uses" in st and not re.search(r"@(v\d+(\.\d+)*|[0-9a-f]{40})$", st["uses"]):
            fail(f"action.yml: step {i} uses {st['uses']}, not pinned to a version")
    for path, s in strings(action):
        at = 10**6 if path.startswith("/outputs") else None
        if path.startswith("/runs/steps/"):
            at = int(path.split("/")[3])
        for expr in EXPR.findall(s):
            for name, call in references(expr):
                head = name.split(".")[0]
                if call:
                    if name not in FUNCTIONS:
                        fail(f"action.yml {path}: unknown function {name}()")
                    continue
                if name in ("true", "false", "null"):
                    continue
                if head not in CONTEXTS:
                    fail(f"action.yml {path}: unknown context in '{name}'")
                parts = name.split(".")
                if head == "inputs":
                    used.add(parts[1])
                    if parts[1] not in inputs:
                        fail(f"action.yml {path}: inputs.{parts[1]} is not declared")
                if head == "steps":
                    sid = parts[1]
                    if sid not in step_outputs:
                        fail(f"action.yml {path}: no step with id {sid}")
                    elif at is not None and step_outputs[sid][0] >= at:
                        fail(f"action.yml {path}: steps.{sid} is not an earlier step")
                    elif len(parts) < 4 or parts[2] != "outputs" or \
                            parts[3] not in step_outputs[sid][1]:
                        fail(f"action.yml {path}: step {sid} writes no output {'.'.join(parts[2:])}")
    for name in sorted(inputs - used):
        fail(f"action.yml: input {name} is declared but never used")
    return inputs


def evaluate(value, ctx):
    """An env: value: plain text, or text with ${{ context.name }} in it."""
    def one(m):
        expr = m.group(1).strip()
        if not re.fullmatch(r"[a-z]+(\.[A-Za-z0-9_-]+)+", expr):
            raise ValueError(f"cannot evaluate ${{{{ {expr} }}}} here")
        return str(ctx.get(expr, ""))
    return EXPR.sub(one, str(value))


def run_check_step(action, src, cleave, work, name, inputs, want_code, expect):
    """Runs the check step's script on a fresh copy of fixtures/check_bad."""
    step = next(s for s in action["runs"]["steps"] if s.get("id") == "check")
    ws = os.path.join(work, name)
    shutil.rmtree(ws, ignore_errors=True)
    shutil.copytree(os.path.join(src, "fixtures", "check_bad"), ws)
    ctx = {f"inputs.{k}": v.get("default", "") for k, v in action["inputs"].items()}
    ctx.update({f"inputs.{k}": v for k, v in inputs.items()})
    env = {k: evaluate(v, ctx) for k, v in step.get("env", {}).items()}
    out_file, summary = os.path.join(ws, "..", name + ".output"), os.path.join(ws, "..", name + ".md")
    for f in (out_file, summary):
        open(f, "w").close()
    env.update({"PATH": os.path.dirname(os.path.abspath(cleave)) + os.pathsep + os.environ["PATH"],
                "GITHUB_OUTPUT": out_file, "GITHUB_STEP_SUMMARY": summary,
                "HOME": os.environ.get("HOME", "/"), "LANG": "C.UTF-8"})
    for k in ("ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"):
        if k in os.environ:
            env[k] = os.environ[k]
    if os.path.basename(cleave) != "cleave":
        fail(f"the program under test must be named cleave, not {cleave}")
    # as the runner runs a bash step: bash --noprofile --norc -eo pipefail {0}
    script = os.path.join(work, name + ".sh")
    with open(script, "w", encoding="utf-8") as f:
        f.write(step["run"])
    if step["shell"] != "bash":
        fail(f"the check step runs in {step['shell']}, not bash")
    p = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", script],
                       cwd=ws, env=env, capture_output=True, text=True, timeout=300)
    outputs = {}
    with open(out_file, encoding="utf-8") as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("=")
            outputs[k] = v
    what = f"the check step ({name})"
    if p.returncode != 0:
        fail(f"{what}: the script exited {p.returncode}, not 0:\n{p.stderr}")
    if outputs.get("exit-code") != str(want_code):
        fail(f"{what}: exit-code={outputs.get('exit-code')}, want {want_code}\n{p.stdout}{p.stderr}")
    expect(what, ws, outputs, p.stdout, open(summary, encoding="utf-8").read())


def main():
    a = arguments("cleave", "source", "work")
    src, work, cleave = a.source, a.work, a.cleave
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    data = os.path.join(src, "tests", "data")

    action = load_yaml(os.path.join(src, "action.yml"))
    validate(os.path.join(data, "github-action.schema.json"), action, "action.yml")
    inputs = check_action(action, src)

    example = os.path.join(src, "docs", "examples", "github-workflow.yml")
    flow = load_yaml(example)
    validate(os.path.join(data, "github-workflow.schema.json"), flow, "the example workflow")
    mine = [st for job in flow["jobs"].values() for st in job.get("steps", [])
            if re.fullmatch(r"[^./][^@]*/cleave@.+", st.get("uses", ""))]
    if len(mine) != 1:
        fail("the example workflow does not use the action exactly once")
    for st in mine:
        for k in st.get("with", {}):
            if k not in inputs:
                fail(f"the example workflow gives the action an input it lacks: {k}")
    with open(example, encoding="utf-8") as f:
        text = f.read()
    with open(os.path.join(src, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    if "```yaml\n" + text + "```\n" not in readme:
        fail("README.md does not show docs/examples/github-workflow.yml as it is (a ```yaml block)")

    hooks = load_yaml(os.path.join(src, ".pre-commit-hooks.yaml"))
    validate(os.path.join(data, "pre-commit-hooks.schema.json"), hooks, ".pre-commit-hooks.yaml")
    check_help = helptext.run_help(cleave, "check")
    for h in hooks:
        words = h["entry"].split() + h.get("args", [])
        if words[:2] != ["cleave", "check"]:
            fail(f".pre-commit-hooks.yaml: {h['id']} does not run cleave check")
        for w in words[2:]:
            if w.startswith("-") and w not in check_help.names():
                fail(f".pre-commit-hooks.yaml: {h['id']}: {w} is not an option of cleave check")

    # the check step, run
    def findings(what, ws, out, stdout, summary):
        md = os.path.join(ws, "cleave-report", "cleave.markdown")
        if out.get("summary") != "cleave-report/cleave.markdown" or not os.path.exists(md):
            fail(f"{what}: no summary output or no Markdown report")
        elif open(md, encoding="utf-8").read() not in summary:
            fail(f"{what}: the job summary does not hold the Markdown report")
        if "::error file=" not in stdout:
            fail(f"{what}: no ::error annotation on stdout")
        if not os.path.exists(os.path.join(ws, "cleave-report", "cleave.junit")):
            fail(f"{what}: no JUnit report")
        sarif = os.path.join(ws, out.get("sarif", "-"))
        r = subprocess.run([sys.executable, os.path.join(src, "tests", "e2e", "check_sarif.py"),
                            sarif], capture_output=True, text=True)
        if r.returncode != 0:
            fail(f"{what}: the SARIF log {out.get('sarif')!r} is not valid:\n{r.stdout}{r.stderr}")

    run_check_step(action, src, cleave, work, "findings",
                   {"formats": "github, junit", "cache-dir": "../findings-cache"}, 1, findings)
    base = os.path.join(work, "baseline.json")
    subprocess.run([cleave, "check", "-q", os.path.join(src, "fixtures", "check_bad"), "--plan",
                    os.path.join(src, "fixtures", "check_bad", "plan.json"), "--no-cache",
                    "--update-baseline", base], check=True, capture_output=True)

    def passed(what, ws, out, stdout, summary):
        if "::error" in stdout:
            fail(f"{what}: error annotations although every finding is baselined")
        if not summary.strip():
            fail(f"{what}: nothing in the job summary")

    run_check_step(action, src, cleave, work, "baselined",
                   {"baseline": base, "compile-commands": "compile_commands.json",
                    "cache-dir": "../baselined-cache", "upload-sarif": "false"}, 0, passed)

    def refused(what, ws, out, stdout, summary):
        if "unknown report format 'pdf'" not in stdout:
            fail(f"{what}: no error naming the unknown format")
        if os.path.exists(os.path.join(ws, "cleave-report")):
            fail(f"{what}: reports were written although the input was refused")

    run_check_step(action, src, cleave, work, "bad-format", {"formats": "github pdf"}, 2, refused)

    print(f"action: action.yml ({len(inputs)} inputs), the example workflow, the pre-commit hook, "
          f"3 runs of the check step; {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
