#!/bin/sh
# check_sarif_test.sh CLEAVE SOURCE_DIR WORK_DIR - the SARIF output of
# `cleave check` validated against the SARIF 2.1.0 JSON schema
# (tests/data/sarif-schema-2.1.0.json, through tests/e2e/check_sarif.py): with
# findings (fixtures/check_bad), with a plan outside the project root,
# with baselined findings (suppressions), with stale baseline entries
# (absent results), with none (fixtures/check_clean),
# and with findings in files whose names need percent-encoding in a URI
# (fixtures/odd_names).  First it proves the validator rejects a broken log.  Runs Debian's python ($PYTHON, default
# /usr/bin/python3) that `make deps` gives python3-jsonschema.  Works in
# copies under WORK_DIR; never writes to the source.
set -u
CLEAVE=$1 SRC=$2 WORK=$3
PYTHON=${PYTHON:-/usr/bin/python3}
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
validate() { "$PYTHON" "$SRC/tests/e2e/check_sarif.py" "$@"; }
# sarif WANT_EXIT OUT ARGS...: cleave check --format sarif -o OUT ARGS
sarif() {
    want=$1 out=$2; shift 2
    "$CLEAVE" check -q "$@" --format sarif -o "$out" 2>"$WORK/err"
    got=$?
    [ "$got" = "$want" ] || { fail "exit $got, want $want: check $*"; cat "$WORK/err"; }
}
rm -rf "$WORK" && mkdir -p "$WORK" || exit 1
cp -r "$SRC/fixtures/check_bad" "$WORK/bad" && cp -r "$SRC/fixtures/check_clean" "$WORK/clean" &&
    cp -r "$SRC/fixtures/odd_names" "$WORK/odd" || exit 1
"$PYTHON" -c 'import jsonschema' 2>/dev/null ||
    { echo "FAIL: $PYTHON has no jsonschema: install python3-jsonschema (make deps)"; exit 1; }

# the validator fails on a log that breaks the schema (a level SARIF does
# not have, a line 0, a result without a message) and on a wrong ruleIndex
"$PYTHON" - "$SRC/fixtures/check_bad/expected/sarif" "$WORK" <<'PY' || exit 1
import json, sys
log = json.load(open(sys.argv[1]))
res = log["runs"][0]["results"]
for name, edit in [("level", lambda r: r[0].update(level="fatal")),
                   ("line", lambda r: r[0]["locations"][0]["physicalLocation"]["region"].update(startLine=0)),
                   ("message", lambda r: r[0].pop("message")),
                   ("uri", lambda r: r[0]["locations"][0]["physicalLocation"]["artifactLocation"].update(uri="a b.c")),
                   ("ruleindex", lambda r: r[0].update(ruleIndex=r[0]["ruleIndex"] + 1))]:
    bad = json.loads(json.dumps(log))
    edit(bad["runs"][0]["results"])
    json.dump(bad, open("%s/broken-%s.sarif" % (sys.argv[2], name), "w"))
PY
for f in "$WORK"/broken-*.sarif; do
    validate "$f" >"$WORK/out" 2>&1
    [ $? = 1 ] || { fail "the validator accepts $(basename "$f")"; cat "$WORK/out"; }
done

# findings: every rule fires on check_bad
sarif 1 "$WORK/bad.sarif" "$WORK/bad" --plan "$WORK/bad/plan.json"
validate "$WORK/bad.sarif" || fail "check_bad: SARIF invalid"
cmp -s "$WORK/bad.sarif" "$SRC/fixtures/check_bad/expected/sarif" ||
    fail "check_bad: -o output differs from fixtures/check_bad/expected/sarif"

# a plan outside the project root: its stale-plan-function finding has an
# absolute file: URI, without uriBaseId
cp "$WORK/bad/plan.json" "$WORK/outside-plan.json"
sarif 1 "$WORK/outside.sarif" "$WORK/bad" --plan "$WORK/outside-plan.json"
validate "$WORK/outside.sarif" || fail "plan outside the root: SARIF invalid"
grep -q '"file:///[^"]*/outside-plan\.json"' "$WORK/outside.sarif" ||
    fail "plan outside the root: no file:// URI"

# baselined findings carry an external suppression
"$CLEAVE" check -q "$WORK/bad" --plan "$WORK/bad/plan.json" --update-baseline "$WORK/baseline.json" ||
    fail "--update-baseline"
sarif 0 "$WORK/baselined.sarif" "$WORK/bad" --plan "$WORK/bad/plan.json" --baseline "$WORK/baseline.json"
validate "$WORK/baselined.sarif" || fail "baselined: SARIF invalid"
grep -q '"kind":[[:space:]]*"external"' "$WORK/baselined.sarif" || fail "baselined: no external suppression"

# with a baseline every result has a baselineState: the baselined ones are
# unchanged; applied to check_clean, every entry is stale, a fixed
# violation: an "absent" result of kind "pass" each
sarif 0 "$WORK/stale.sarif" "$WORK/clean" --plan "$WORK/clean/plan.json" --baseline "$WORK/baseline.json"
validate "$WORK/stale.sarif" || fail "stale: SARIF invalid"
"$PYTHON" - "$WORK/baselined.sarif" "$WORK/stale.sarif" "$WORK/baseline.json" <<'PY' ||
import json, sys
base = json.load(open(sys.argv[1]))["runs"][0]["results"]
stale = json.load(open(sys.argv[2]))["runs"][0]["results"]
keys = [f["key"] for f in json.load(open(sys.argv[3]))["findings"]]
assert base and all(r["baselineState"] == "unchanged" for r in base), "baselined"
assert [r["partialFingerprints"]["cleaveKey/v1"] for r in stale] == keys, "stale keys"
assert all(r["baselineState"] == "absent" and r["kind"] == "pass" and r["level"] == "none"
           and r["ruleId"] == r["partialFingerprints"]["cleaveKey/v1"].split(":")[0]
           for r in stale), "stale results"
PY
    fail "baselineState: wrong values"

# no findings: an empty results array, still a valid log
sarif 0 "$WORK/clean.sarif" "$WORK/clean" --plan "$WORK/clean/plan.json"
validate "$WORK/clean.sarif" || fail "check_clean: SARIF invalid"
"$PYTHON" -c 'import json, sys; assert json.load(open(sys.argv[1]))["runs"][0]["results"] == []' \
    "$WORK/clean.sarif" || fail "check_clean: results is not []"

# files with spaces, quotes, backslashes and non-ASCII names: a plan that
# places nothing makes every function an unplaced-function finding there
printf '{"schema": "cleave.plan/1", "services": [{"name": "a", "kind": "service", "functions": []}]}\n' \
    >"$WORK/odd-plan.json"
sarif 0 "$WORK/odd.sarif" "$WORK/odd" --plan "$WORK/odd-plan.json"
validate "$WORK/odd.sarif" || fail "odd_names: SARIF invalid"
for uri in 'my%20dir/sp%20ace.c' 'my%20dir/quote%22d.c' 'back%5Cslash.c' 'trail%5C/x.c' \
           '%C3%BCn%C3%AF/%E6%97%A5%E6%9C%AC.c'; do
    grep -qF "\"$uri\"" "$WORK/odd.sarif" || fail "odd_names: no uri $uri"
done

[ "$fails" = 0 ] && echo "SARIF schema tests passed"
[ "$fails" = 0 ]
