#!/usr/bin/env bash
# bash_plan.sh - the quality of `cleave plan`: its file partitions of Bash,
# Lua, SQLite and the demo scored against reference decompositions, by
# MoJoFM.
#
# Steps, each skipped when its result is already in the work directory:
#   1. installs what it needs with apt-get (bear, gcc, make, dpkg-dev,
#      python3, tcl), adding a deb-src entry only when `apt-get source`
#      cannot work without one;
#   2. `apt-get source bash` (5.2) into the work directory, then
#      `./configure --without-bash-malloc` and `bear -- make -j2` there,
#      which records compile_commands.json;
#   3. `cleave plan <bash> --no-cache -o bash-plan` (cold: no cache read or
#      written), timed, then plan_score.py scores
#      services[].files against ../shared/benchmarks/bash-4.2-reference.json
#      on the files both contain, with ../shared/tools/mojofm.py and with
#      `cleave compare`, beside the baseline of one cluster per directory of
#      the same files (and the one-cluster baseline);
#   4. the same for the demo (fixtures/demo) against the ```decomposition
#      block of its README; for Lua (one flat folder, where only the
#      dependencies can tell the modules apart) against the module structure
#      of its own Makefile, bench/lua-reference.rsf (Lua built by
#      lua_accuracy.sh --gcc-only when not built yet); and for SQLite 3.40
#      (`apt-get source sqlite3`, `./configure --disable-amalgamation
#      --disable-tcl && bear -- make -j2 libsqlite3.la`: 105 units in one
#      flat src/) against its architecture document,
#      ../shared/benchmarks/sqlite-3.40-reference.rsf.
#
# --tree NAME=DIR plans a tree built already instead (nothing is built or
# written there); --graph NAME=FILE starts from a graph `cleave scan` wrote,
# for iterating (the published figures come from scans).
#
# Exit status: 0 when every MoJoFM reaches its target (Bash 0.95, Lua 0.90,
# SQLite 0.70), 1 when one does not (or when cleave compare and mojofm.py
# disagree), 2 when the benchmark itself could not run.  Nothing of the
# projects' is run but their builds; the work directory (default bench/work)
# is not part of the repo.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
workdir="$here/work"
cleave="$repo/build/cleave"
shared="$(dirname "$repo")/shared"
fresh=0
bench=bash_plan
. "$here/common.sh"
declare -A target=([bash]=0.95 [lua]=0.90 [sqlite]=0.70)

usage() {
    cat <<EOF
usage: bench/bash_plan.sh [--workdir DIR] [--cleave PATH] [--shared DIR] [--target NAME=MOJOFM]...
                          [--tree NAME=DIR]... [--graph NAME=FILE]... [--fresh]
  --workdir DIR         where the projects are fetched, built and planned (default: bench/work)
  --cleave PATH         the cleave binary (default: build/cleave)
  --shared DIR          reference data and mojofm.py (default: ../shared beside the checkout)
  --target NAME=MOJOFM  required MoJoFM of cleave's plan of bash, lua or sqlite
                        (defaults: bash=0.95 lua=0.90 sqlite=0.70)
  --tree NAME=DIR       plan bash, lua or sqlite from this tree, built already
                        (compile_commands.json in it; Lua's may be in cdb/ beside it)
  --graph NAME=FILE     plan bash, demo, lua or sqlite from a graph cleave scan wrote
  --fresh               fetch and build Bash and SQLite again instead of reusing the work directory
EOF
}

while [ $# -gt 0 ]; do
    case "$1" in
        --workdir) [ $# -ge 2 ] || die "--workdir needs a directory"; workdir=$2; shift 2 ;;
        --cleave) [ $# -ge 2 ] || die "--cleave needs a path"; cleave=$2; shift 2 ;;
        --shared) [ $# -ge 2 ] || die "--shared needs a directory"; shared=$2; shift 2 ;;
        --target)
            [ $# -ge 2 ] || die "--target needs NAME=MOJOFM"
            case "${2%%=*}" in bash|lua|sqlite) ;; *) die "--target $2: bash, lua or sqlite" ;; esac
            target[${2%%=*}]=${2#*=}; shift 2 ;;
        --tree) [ $# -ge 2 ] || die "--tree needs NAME=DIR"; given --tree "$2" bash lua sqlite; shift 2 ;;
        --graph) [ $# -ge 2 ] || die "--graph needs NAME=FILE"; given --graph "$2" bash demo lua sqlite; shift 2 ;;
        --fresh) fresh=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
done

mojofm="$shared/tools/mojofm.py"
[ -f "$mojofm" ] || die "no mojofm.py at $mojofm (pass --shared DIR)"
for ref in bash-4.2-reference.json sqlite-3.40-reference.rsf; do
    [ -f "$shared/benchmarks/$ref" ] || die "no reference decomposition at $shared/benchmarks/$ref (pass --shared DIR)"
done

# --- 1. tools -------------------------------------------------------------
plan_setup bash-plan-report.txt
if [ "$fresh" = 1 ]; then
    rm -rf "$workdir"/bash-[0-9]* "$workdir"/bash_* "$workdir/bash-build.log" \
        "$workdir"/sqlite3-[0-9]* "$workdir"/sqlite3_* "$workdir/sqlite-build.log" \
        "$workdir/bash-plan" "$workdir/demo-plan" "$workdir/lua-plan" "$workdir/sqlite-plan" "$report"
fi

# --- 2. the builds under bear ---------------------------------------------
bash_build
lua_build
sqlite_build

# --- 3, 4. plans and scores -----------------------------------------------
: >"$report"
plan bash "$bash_dir"
score bash --reference "$shared/benchmarks/bash-4.2-reference.json" --mojofm "$mojofm" \
    --cleave "$cleave" --db "$bash_dir/compile_commands.json" --target "${target[bash]}" --misses

plan demo "$repo/fixtures/demo"
score demo --decomposition "$repo/fixtures/demo/README.md" --mojofm "$mojofm" --cleave "$cleave"

plan lua "$lua_dir" "$lua_db_dir"
score lua --reference "$here/lua-reference.rsf" --mojofm "$mojofm" --cleave "$cleave" \
    --target "${target[lua]}" --misses

plan sqlite "$sqlite_dir"
score sqlite --reference "$shared/benchmarks/sqlite-3.40-reference.rsf" --mojofm "$mojofm" \
    --cleave "$cleave" --db "$sqlite_dir/compile_commands.json" --target "${target[sqlite]}" --misses

cat "$report"
say "report saved in $report"
exit "$status"
