#!/bin/sh
# check_test.sh CLEAVE SOURCE_DIR WORK_DIR - tests of `cleave check`:
# every rule fires on fixtures/check_bad and none on fixtures/check_clean,
# each output format against its golden file (CLEAVE_UPDATE_GOLDEN=1
# rewrites them), baseline adoption, exit codes, and the same bytes with a
# cache as without (the SARIF output is validated against its schema by
# check_sarif_test.sh).  Works in a copy of the fixtures under WORK_DIR;
# never writes to the source.
set -u
CLEAVE=$1 SRC=$2 WORK=$3
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
# expect CODE CMD...: runs CMD (stdout to $WORK/out, stderr to $WORK/err)
expect() {
    want=$1; shift
    "$@" >"$WORK/out" 2>"$WORK/err"
    got=$?
    [ "$got" = "$want" ] || { fail "exit $got, want $want: $*"; cat "$WORK/err"; }
}
rm -rf "$WORK" && mkdir -p "$WORK" || exit 1
cp -r "$SRC/fixtures/check_bad" "$WORK/bad" && cp -r "$SRC/fixtures/check_clean" "$WORK/clean" || exit 1
BAD=$WORK/bad CLEAN=$WORK/clean

# every rule fires on check_bad; the golden files pin each format (the html
# page's stylesheet is the HTML report's, reports/html/report.css: its
# golden leaves it out)
nostyle() { awk '/^<\/style>$/ { skip = 0 } !skip { print } /^<style>$/ { skip = 1 }' "$1"; }
for fmt in text json sarif junit github markdown html; do
    golden=$SRC/fixtures/check_bad/expected/$fmt
    expect 1 "$CLEAVE" check -q "$BAD" --plan "$BAD/plan.json" --format "$fmt"
    if [ "$fmt" = html ]; then nostyle "$WORK/out" >"$WORK/out.nostyle" && mv "$WORK/out.nostyle" "$WORK/out"; fi
    if [ "${CLEAVE_UPDATE_GOLDEN:-}" = 1 ]; then
        mkdir -p "$(dirname "$golden")" && cp "$WORK/out" "$golden"
    elif ! cmp -s "$WORK/out" "$golden"; then
        fail "--format $fmt differs from fixtures/check_bad/expected/$fmt"
        diff "$golden" "$WORK/out" | head -20
    fi
done
for rule in cross-boundary-call new-interface shared-state-write service-cycle forbidden-dependency \
            layer-violation independence-violation moved-function unplaced-function \
            stale-plan-function; do
    grep -q "\[$rule\]" "$SRC/fixtures/check_bad/expected/text" || fail "rule $rule does not fire on check_bad"
done

# by default the cache sits beside compile_commands.json, as for `cleave scan`
[ -f "$BAD/.cleave-cache/CACHEDIR.TAG" ] || fail "no cache beside $BAD/compile_commands.json"

# the cache changes no byte of the report: without one, with an empty one
# (filled as it goes), with the filled one, and after an edit, when only
# the edited unit is parsed again; for every format
CACHE=$WORK/cache
# same_as_nocache WHAT PARSED: each format with --cache-dir $CACHE against
# --no-cache; the first cached run parsed PARSED units (stderr summary)
same_as_nocache() {
    first=1
    for fmt in text json sarif junit github markdown html; do
        expect 1 "$CLEAVE" check -q "$BAD" --plan "$BAD/plan.json" --format "$fmt" --no-cache
        mv "$WORK/out" "$WORK/nocache"
        expect 1 "$CLEAVE" check "$BAD" --plan "$BAD/plan.json" --format "$fmt" --cache-dir "$CACHE"
        if [ "$first" = 1 ]; then
            grep -q "; $2 parsed, [0-9]* cached\$" "$WORK/err" ||
                fail "$1: want $2 unit(s) parsed: $(tail -n 1 "$WORK/err")"
            first=0
        fi
        cmp -s "$WORK/nocache" "$WORK/out" || {
            fail "$1: --format $fmt with a cache differs from --no-cache"
            diff "$WORK/nocache" "$WORK/out" | head -10
        }
    done
}
rm -rf "$CACHE"
same_as_nocache "cold cache" 5
same_as_nocache "warm cache" 0
cp "$BAD/src/ui/ui.c" "$WORK/ui.c.saved"
printf '\nvoid ui_more(void) { billing_secret(); }\n' >>"$BAD/src/ui/ui.c"
same_as_nocache "one file edited" 1
cp "$WORK/ui.c.saved" "$BAD/src/ui/ui.c"
same_as_nocache "the edit undone" 1
[ -f "$CACHE/CACHEDIR.TAG" ] || fail "no cache in --cache-dir $CACHE"
# plan and init read the same cache: the same files as without one (plan
# without its SVGs: Graphviz's leaks would fail a sanitized run)
for cmd in "plan --no-render" init; do
    out=$WORK/${cmd%% *}
    expect 0 "$CLEAVE" $cmd -q "$BAD" --no-cache -o "$out-nocache"
    expect 0 "$CLEAVE" $cmd -q "$BAD" --cache-dir "$CACHE" -o "$out-cache"
    for f in plan.json graph.json cleave.json; do
        [ -f "$out-nocache/$f" ] || continue
        cmp -s "$out-nocache/$f" "$out-cache/$f" || fail "$cmd: $f with a cache differs"
    done
done
# the two cache options conflict, in every command that scans
for cmd in scan plan graph init check; do
    expect 2 "$CLEAVE" "$cmd" --cache-dir "$CACHE" --no-cache "$CLEAN"
    grep -q "^cleave: $cmd: --cache-dir and --no-cache conflict\$" "$WORK/err" ||
        fail "$cmd: no conflict message: $(cat "$WORK/err")"
done

# ... and none on check_clean
expect 0 "$CLEAVE" check -q "$CLEAN" --plan "$CLEAN/plan.json"
grep -q '^cleave check: 0 error(s), 0 warning(s), 0 info' "$WORK/out" || fail "check_clean has findings: $(cat "$WORK/out")"

# the output file is written only when asked, and atomically
expect 1 "$CLEAVE" check -q "$BAD" --plan "$BAD/plan.json" --format json -o "$WORK/o/r.json"
[ -s "$WORK/o/r.json" ] && [ ! -s "$WORK/out" ] || fail "-o FILE"

# baseline adoption: old violations pass, a new one fails, a fixed one is stale
expect 0 "$CLEAVE" check -q "$BAD" --plan "$BAD/plan.json" --update-baseline "$WORK/baseline.json"
expect 0 "$CLEAVE" check -q "$BAD" --plan "$BAD/plan.json" --baseline "$WORK/baseline.json"
printf '\n\nvoid ui_extra(void) { billing_secret(); }\n' >>"$BAD/src/ui/ui.c" # moves nothing, adds one
sed -i 's|^    billing_charge(); /\* ui may only call core \*/|    /* fixed */|' "$BAD/src/ui/ui.c"
sed -i '1i /* a line that shifts every finding below it */' "$BAD/src/reporting/report.c"
expect 1 "$CLEAVE" check -q "$BAD" --plan "$BAD/plan.json" --baseline "$WORK/baseline.json"
grep -q '^src/ui/ui.c:9:.*\[cross-boundary-call\] ui_extra' "$WORK/out" || fail "the new violation: $(cat "$WORK/out")"
grep -q 'src/reporting' "$WORK/out" && fail "a moved baselined violation is reported again"
grep -q '^note: stale baseline entry .*forbidden-dependency:ui_main->billing_charge' "$WORK/out" ||
    fail "the fixed violation is not reported stale"
sed -i '/ui_extra/d' "$BAD/src/ui/ui.c"
expect 0 "$CLEAVE" check -q "$BAD" --plan "$BAD/plan.json" --baseline "$WORK/baseline.json"
expect 1 "$CLEAVE" check -q "$BAD" --plan "$BAD/plan.json" --baseline "$WORK/baseline.json" --strict-baseline

# exit 2: usage, config, plan and baseline errors, positioned
expect 2 "$CLEAVE" check -q "$CLEAN"
expect 2 "$CLEAVE" check -q "$CLEAN" --plan "$CLEAN/plan.json" --format xml
printf '{"schema": "cleave.plan/1",\n "services": [{"name": "a", "kind": "servce", "functions": []}]}\n' >"$WORK/p.json"
expect 2 "$CLEAVE" check -q "$CLEAN" --plan "$WORK/p.json"
grep -q "p.json:2:37: expected \"service\"" "$WORK/err" || fail "plan error position: $(cat "$WORK/err")"
printf '{"rules": {"forbiden": []}}\n' >"$WORK/c.json"
expect 2 "$CLEAVE" check -q "$CLEAN" --plan "$CLEAN/plan.json" --config "$WORK/c.json"
grep -q "c.json:1:" "$WORK/err" || fail "config error position: $(cat "$WORK/err")"
printf '{"schema": "cleave.baseline/1", "findings": [1]}' >"$WORK/b.json"
expect 2 "$CLEAVE" check -q "$CLEAN" --plan "$CLEAN/plan.json" --baseline "$WORK/b.json"
grep -q "b.json:1:46: " "$WORK/err" || fail "baseline error position: $(cat "$WORK/err")"

# exit 3: nothing parsed, or coverage under --min-coverage (in the source
# tree: no cache)
expect 3 "$CLEAVE" check -q --no-cache "$SRC/fixtures/nothing" --plan "$CLEAN/plan.json"
expect 0 "$CLEAVE" check -q --no-cache "$SRC/fixtures/syntax_error" --plan "$CLEAN/plan.json" --min-coverage 0.5
expect 3 "$CLEAVE" check -q --no-cache "$SRC/fixtures/syntax_error" --plan "$CLEAN/plan.json" --min-coverage 1

[ "$fails" = 0 ] && echo "check tests passed"
[ "$fails" = 0 ]
