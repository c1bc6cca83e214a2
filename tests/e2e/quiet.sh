#!/bin/sh
# quiet.sh CLEAVE WORK_DIR - each warning once per run, and -q errors only,
# for every command that scans: a project defining one extern function in
# two files (a duplicate-definition warning), with a compile flag libclang
# is not given (a dropped-flags warning) and a cache that cannot be written
# (a cache warning).  Without -q each warning appears exactly once on
# stderr; with -q stderr is empty and the exit code the same.
set -u
CLEAVE=$1 WORK=$2
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
rm -rf "$WORK" && mkdir -p "$WORK/p" || exit 1
cd "$WORK/p" || exit 1
printf 'int helper(void) { return 1; }\nint one(void) { return helper(); }\n' >a.c
printf 'int helper(void) { return 2; }\nint main(void) { return helper(); }\n' >b.c
cat >compile_commands.json <<'JSON'
[{"directory": ".", "file": "a.c", "arguments": ["cc", "-Wall", "-c", "a.c"]},
 {"directory": ".", "file": "b.c", "arguments": ["cc", "-Wall", "-c", "b.c"]}]
JSON
: >"$WORK/file" # a cache folder below a regular file cannot be made
cache="--cache-dir $WORK/file/cache"
"$CLEAVE" plan -q . -o "$WORK/plan" --no-cache --no-render --no-report || fail "cleave plan"
# run NAME CMD...: once without -q (each warning once), once with (nothing)
run() {
    name=$1; shift
    "$@" >"$WORK/out" 2>"$WORK/err"
    rc=$?
    for w in "function helper is defined in a.c and in b.c" "compile flag" "cannot write the cache"; do
        n=$(grep -c "warning: .*$w" "$WORK/err")
        [ "$n" = 1 ] || { fail "$name: '$w' $n times, want once"; cat "$WORK/err"; }
    done
    "$@" -q >"$WORK/out" 2>"$WORK/err"
    [ $? = "$rc" ] || fail "$name -q: exit $?, without -q $rc"
    [ -s "$WORK/err" ] && { fail "$name -q printed on stderr:"; cat "$WORK/err"; }
}
run scan "$CLEAVE" scan . -o "$WORK/graph.json" $cache
run plan "$CLEAVE" plan . -o "$WORK/out2" --no-render --no-report $cache
run graph "$CLEAVE" graph . -o "$WORK/g.dot" --format dot $cache
run check "$CLEAVE" check . --plan "$WORK/plan/plan.json" $cache
run init "$CLEAVE" init . -o "$WORK/init" --force $cache
[ "$fails" = 0 ] && echo "quiet passed"
exit "$fails"
