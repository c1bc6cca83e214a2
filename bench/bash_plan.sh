#!/usr/bin/env bash
# bash_plan.sh - the quality of `cleave plan`: its file partition of Bash
# scored against a published expert decomposition, by MoJoFM.
#
# Steps, each skipped when its result is already in the work directory:
#   1. installs what it needs with apt-get (bear, gcc, make, dpkg-dev,
#      python3), adding a deb-src entry only when `apt-get source` cannot
#      work without one;
#   2. `apt-get source bash` (5.2) into the work directory, then
#      `./configure --without-bash-malloc` and `bear -- make -j2` there,
#      which records compile_commands.json;
#   3. `cleave plan <bash> --no-cache -o bash-plan` (cold: no cache read or
#      written), timed, then plan_score.py scores
#      services[].files against ../shared/benchmarks/bash-4.2-reference.json
#      on the files both contain, with ../shared/tools/mojofm.py and with
#      `cleave compare` when the binary has it, beside the baseline of one
#      cluster per directory of the same files;
#   4. the same for the demo (fixtures/demo) against the ```decomposition
#      block of its README, and for Lua (one flat folder, where only the
#      dependencies can tell the modules apart) against the module structure
#      of its own Makefile, bench/lua-reference.rsf (Lua built by
#      lua_accuracy.sh --gcc-only when not built yet).
#
# Exit status: 0 when cleave's MoJoFM on Bash reaches --target, 1 when not
# (or when cleave compare and mojofm.py disagree), 2 when the benchmark
# itself could not run.  Nothing of Bash's is run but its build; the work
# directory (default bench/work) is not part of the repo.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
workdir="$here/work"
cleave="$repo/build/cleave"
shared="$(dirname "$repo")/shared"
target=0.95
fresh=0
bench=bash_plan
. "$here/common.sh"

usage() {
    cat <<EOF
usage: bench/bash_plan.sh [--workdir DIR] [--cleave PATH] [--shared DIR] [--target MOJOFM] [--fresh]
  --workdir DIR     where Bash is fetched, built and planned (default: bench/work)
  --cleave PATH     the cleave binary (default: build/cleave)
  --shared DIR      reference data and mojofm.py (default: ../shared beside the checkout)
  --target MOJOFM   required MoJoFM of cleave's Bash plan (default: 0.95)
  --fresh           fetch and build Bash again instead of reusing the work directory
EOF
}

while [ $# -gt 0 ]; do
    case "$1" in
        --workdir) [ $# -ge 2 ] || die "--workdir needs a directory"; workdir=$2; shift 2 ;;
        --cleave) [ $# -ge 2 ] || die "--cleave needs a path"; cleave=$2; shift 2 ;;
        --shared) [ $# -ge 2 ] || die "--shared needs a directory"; shared=$2; shift 2 ;;
        --target) [ $# -ge 2 ] || die "--target needs a MoJoFM between 0 and 1"; target=$2; shift 2 ;;
        --fresh) fresh=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
done

reference="$shared/benchmarks/bash-4.2-reference.json"
mojofm="$shared/tools/mojofm.py"
[ -f "$reference" ] || die "no reference decomposition at $reference (pass --shared DIR)"
[ -f "$mojofm" ] || die "no mojofm.py at $mojofm (pass --shared DIR)"
[ -x "$cleave" ] || die "no cleave binary at $cleave (build it, or pass --cleave PATH)"
cleave=$(cd "$(dirname "$cleave")" && pwd)/$(basename "$cleave")

# --- 1. tools -------------------------------------------------------------
need_commands python3:python3

mkdir -p "$workdir"
workdir=$(cd "$workdir" && pwd)
report="$workdir/bash-plan-report.txt"
if [ "$fresh" = 1 ]; then
    rm -rf "$workdir"/bash-[0-9]* "$workdir"/bash_* "$workdir/bash-build.log" \
        "$workdir/bash-plan" "$workdir/demo-plan" "$workdir/lua-plan" "$report"
fi

# --- 2. Bash built under bear ---------------------------------------------
bash_build

# --- 3, 4. plans and scores -----------------------------------------------
# plan NAME PATH [cleave plan options]: plans PATH into $workdir/NAME-plan,
# appends the summary, cleave's closing scan line and the wall time to the
# report.
plan() {
    local name=$1 path=$2 out="$workdir/$1-plan" start end
    shift 2
    rm -rf "$out"
    say "cleave plan $path${*:+ $*} -o $out"
    start=$(date +%s.%N)
    "$cleave" plan "$path" --no-cache "$@" -o "$out" >"$workdir/$name-plan.stdout" 2>"$workdir/$name-plan.stderr" ||
        { cat "$workdir/$name-plan.stderr" >&2; die "cleave plan $path failed"; }
    end=$(date +%s.%N)
    {
        echo "== $name: cleave plan $path${*:+ $*}"
        cat "$workdir/$name-plan.stdout"
        grep -E '^cleave: [0-9]+ units' "$workdir/$name-plan.stderr" || true
        echo "cleave warnings: $(grep -c '^cleave: warning' "$workdir/$name-plan.stderr" || true)"
        awk -v s="$start" -v e="$end" 'BEGIN { printf "cleave plan time: %.2f s (wall, scan included)\n", e - s }'
    } >>"$report"
}

# score NAME [plan_score.py options]: scores $workdir/NAME-plan/plan.json
# into the report; a finding (exit 1) sets status to 1.
status=0
score() {
    local name=$1 rc=0
    shift
    python3 "$here/plan_score.py" --plan "$workdir/$name-plan/plan.json" --mojofm "$mojofm" \
        --out "$workdir/$name-plan/score" "$@" >>"$report" || rc=$?
    [ "$rc" -le 1 ] || die "scoring the $name plan failed"
    [ "$rc" = 0 ] || status=1
    echo >>"$report"
}

: >"$report"
plan bash "$bash_dir"
score bash --reference "$reference" --cleave "$cleave" \
    --db "$bash_dir/compile_commands.json" --target "$target"

plan demo "$repo/fixtures/demo"
score demo --decomposition "$repo/fixtures/demo/README.md" --cleave "$cleave"

lua_build
plan lua "$lua_dir" -p "$lua_db_dir"
score lua --reference "$here/lua-reference.rsf" --cleave "$cleave"

cat "$report"
say "report saved in $report"
exit "$status"
