#!/bin/sh
# tests/fuzz/run.sh BUILD SECONDS [TARGET...] - runs the libFuzzer programs
# of the fuzz build BUILD (`make fuzz`: every target; ctest: one) for
# SECONDS each, one after the other, on BUILD/fuzz/corpus/<target> (kept
# from run to run, so coverage builds up), the seeds made at build time and
# the regression inputs of tests/fuzz/regress/<target>.  A crash, leak,
# sanitizer report or hang (an input over 10 s) is saved under
# BUILD/fuzz/crashes/<target>/; copy it to tests/fuzz/regress/<target>/
# once fixed.  Prints one line per target: seconds, executions, crashes;
# exit status 1 when any target found one.
set -u
BUILD=$1
SECONDS_EACH=$2
shift 2
HERE=$(cd "$(dirname "$0")" && pwd)
# the targets write each input to a scratch file: memory is faster than disk
if [ -z "${TMPDIR:-}" ] && [ -d /dev/shm ] && [ -w /dev/shm ]; then export TMPDIR=/dev/shm; fi
# every target the build made (tests/fuzz/CMakeLists.txt lists them)
TARGETS=${*:-$(cd "$BUILD/tests/fuzz" 2>/dev/null && ls fuzz_* | sed 's/^fuzz_//')}
[ -n "$TARGETS" ] || { echo "run.sh: no fuzz target in $BUILD/tests/fuzz (make fuzz-build)" >&2; exit 2; }
status=0
for t in $TARGETS; do
    exe="$BUILD/tests/fuzz/fuzz_$t"
    [ -x "$exe" ] || { echo "run.sh: $exe is not built (make fuzz-build)" >&2; exit 2; }
    corpus="$BUILD/fuzz/corpus/$t"
    crashes="$BUILD/fuzz/crashes/$t"
    log="$BUILD/fuzz/logs/$t.log"
    mkdir -p "$corpus" "$crashes" "$(dirname "$log")"
    dirs="$corpus $BUILD/fuzz/seeds/$t"
    [ -d "$HERE/regress/$t" ] && dirs="$dirs $HERE/regress/$t"
    dict="-dict=$HERE/json.dict"
    case $t in facts|shard) dict="" ;; esac
    before=$(ls "$crashes" | wc -l)
    # shellcheck disable=SC2086
    "$exe" -max_total_time="$SECONDS_EACH" -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$crashes/" $dict $dirs >"$log" 2>&1
    rc=$?
    after=$(ls "$crashes" | wc -l)
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    echo "fuzz_$t: ${SECONDS_EACH} s, ${execs:-0} executions, $((after - before)) new crashes (log: $log)"
    if [ $rc -ne 0 ] || [ "$after" -ne "$before" ]; then
        status=1
        grep -m1 -E "ERROR|SUMMARY|fuzz: " "$log" >&2
    fi
done
exit $status
