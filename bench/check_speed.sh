#!/usr/bin/env bash
# check_speed.sh - how long `cleave check` (the CI gate, scan included)
# takes on the demo, Lua 5.4 and Bash 5.2, without a cache and with one.
# Figures and commands: docs/check.md.
#
# For each project it works in a copy of its own (the touch measure edits
# the tree): the tree and its compile database, with the database's paths
# moved to the copy.  It makes the plan once (`cleave plan --no-cache
# --no-render`), then, --runs times (default 3), interleaved so that every
# measure sees the same machine load, and keeps the fastest of each:
#   nocache  `cleave check --no-cache`: the scan parses every unit
#   cold     `cleave check --cache-dir C` with C empty (the cache is filled)
#   warm     the same again, nothing changed
#   touch_c  after one .c file's contents changed (a comment appended;
#            undone after the measure)
# The four reports must be byte-identical, or the run fails.  Prints one
# table: seconds, the units each cached run parsed, warm/nocache and
# touch_c/nocache.
#
# Exit status: 0 when measured, 2 when the benchmark could not run.  Lua
# and Bash come from Debian's source packages, built under bear by
# common.sh (lua_build, bash_build) unless built already; the copies live
# in the work directory (default bench/work), not in the repository.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
workdir="$here/work"
build="$repo/build"
runs=3
projects="demo lua bash"
bench=check_speed
. "$here/common.sh"

usage() {
    cat <<EOF
usage: bench/check_speed.sh [--workdir DIR] [--build DIR] [--runs N] [--projects "demo lua bash"]
  --workdir DIR     where the projects are fetched, built and copied (default: bench/work)
  --build DIR       cleave's build directory (default: build; a Release build is fastest)
  --runs N          measurements of each figure; the fastest counts (default: 3)
  --projects LIST   which projects, of demo, lua and bash (default: all three)
EOF
}

while [ $# -gt 0 ]; do
    case "$1" in
        --workdir) [ $# -ge 2 ] || die "--workdir needs a directory"; workdir=$2; shift 2 ;;
        --build) [ $# -ge 2 ] || die "--build needs a directory"; build=$2; shift 2 ;;
        --runs) [ $# -ge 2 ] || die "--runs needs a number"; runs=$2; shift 2 ;;
        --projects) [ $# -ge 2 ] || die "--projects needs a list"; projects=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "--runs takes a whole number from 1"
mkdir -p "$workdir"
workdir=$(cd "$workdir" && pwd)
cleave="$build/cleave"
[ -x "$cleave" ] || die "$cleave missing: run 'make build' first"
need_commands python3:python3

# ---- the projects: a private copy of the tree and its database ----------

# copy NAME TREE DB_DIR: copies TREE to $work/tree (once) and writes
# $work/db/compile_commands.json, DB_DIR's database with every path under
# TREE moved to the copy.  Sets src and db.
copy() {
    local name=$1 tree=$2 dbdir=$3
    src="$work/tree"
    db="$work/db"
    if [ ! -d "$src" ]; then
        say "$name: copying $tree to $src"
        cp -a "$tree" "$src.tmp" && rm -rf "$src.tmp/.cleave-cache" && mv "$src.tmp" "$src"
    fi
    mkdir -p "$db"
    python3 - "$dbdir/compile_commands.json" "$tree" "$src" "$db/compile_commands.json" <<'EOF'
import json, os, sys
path, old, new, out = sys.argv[1:]
def move(v):
    if isinstance(v, str):
        return v.replace(old, new)
    if isinstance(v, list):
        return [move(x) for x in v]
    if isinstance(v, dict):
        return {k: move(x) for k, x in v.items()}
    return v
entries = json.load(open(path))
base = os.path.dirname(os.path.abspath(path))
for e in entries:  # a relative directory is relative to the database
    if not os.path.isabs(e["directory"]):
        e["directory"] = os.path.normpath(os.path.join(base, e["directory"]))
json.dump(move(entries), open(out, "w"), indent=1)
EOF
}

# Each sets work, src (the copied tree), db (its database) and cfile (the
# .c file the touch measure edits, relative to src).
prepare_demo() {
    copy demo "$repo/fixtures/demo" "$repo/fixtures/demo"
    cfile=src/orders/order.c
}
prepare_lua() {
    lua_build
    copy lua "$lua_dir" "$lua_db_dir"
    cfile=src/lvm.c
}
prepare_bash() {
    bash_build
    copy bash "$bash_dir" "$bash_dir"
    cfile=execute_cmd.c
}

# ---- measures ------------------------------------------------------------

# check MODE CACHE_ARGS...: one cleave check; sets t (seconds) and parsed
# (units parsed, from the summary line); the report goes to $work/MODE.txt.
check() {
    local mode=$1 start end rc=0
    shift
    start=$(now)
    "$cleave" check "$src" -p "$db" --plan "$work/plan/plan.json" "$@" \
        -o "$work/$mode.txt" 2>"$work/stderr" || rc=$?
    end=$(now)
    [ "$rc" -le 1 ] || die "cleave check ($mode) exited with $rc: $(tail -n 3 "$work/stderr")"
    t=$(elapsed "$start" "$end")
    parsed=$(sed -n 's/.*; \([0-9]*\) parsed, [0-9]* cached$/\1/p' "$work/stderr")
    units=$(sed -n 's/^cleave: \([0-9]*\) units:.*/\1/p' "$work/stderr")
}

# Appends a comment to a file (a real content change); restore() puts the
# original bytes and time back.
edit() { cp -p "$src/$1" "$work/saved"; printf '\n/* check_speed */\n' >>"$src/$1"; }
restore() { cp -p "$work/saved" "$src/$1"; }

measure() {
    local name=$1 r m
    work="$workdir/check_speed/$name"
    mkdir -p "$work"
    "prepare_$name"
    [ -f "$src/$cfile" ] || die "$name: $cfile missing in $src"
    say "$name: cleave plan (no cache)"
    rm -rf "$work/plan"
    "$cleave" plan "$src" -p "$db" --no-cache --no-render -q -o "$work/plan" ||
        die "$name: cleave plan failed"
    local nocaches=() colds=() warms=() cs=()
    for r in $(seq "$runs"); do
        say "$name: run $r of $runs"
        check nocache --no-cache; nocaches+=("$t")
        rm -rf "$work/cache"
        check cold --cache-dir "$work/cache"; colds+=("$t")
        check warm --cache-dir "$work/cache"; warms+=("$t"); warm_parsed=$parsed
        trap 'restore "$cfile"' EXIT
        edit "$cfile"; check touch_c --cache-dir "$work/cache"; cs+=("$t"); c_parsed=$parsed
        restore "$cfile"
        trap - EXIT
        for m in cold warm touch_c; do
            cmp -s "$work/nocache.txt" "$work/$m.txt" ||
                die "$name: the $m report differs from the one without a cache ($work)"
        done
    done
    local n c w tc
    n=$(min "${nocaches[@]}"); c=$(min "${colds[@]}"); w=$(min "${warms[@]}"); tc=$(min "${cs[@]}")
    printf '%-5s %6s %8.3f %8.3f %8.3f %5s %8.3f %5s %9s %9s\n' "$name" "$units" "$n" "$c" \
        "$w" "$warm_parsed" "$tc" "$c_parsed" "$(ratio "$w" "$n")" "$(ratio "$tc" "$n")" \
        >>"$workdir/check_speed/table"
}

mkdir -p "$workdir/check_speed"
{
    echo "cleave check (scan included, default -j: $(nproc) CPUs); fastest of $runs runs; seconds"
    printf '%-5s %6s %8s %8s %8s %5s %8s %5s %9s %9s\n' project units nocache cold warm parsd \
        touch_c parsd warm/noc touch/noc
} >"$workdir/check_speed/table"
for p in $projects; do
    case "$p" in demo|lua|bash) measure "$p" ;; *) die "unknown project $p (demo, lua or bash)" ;; esac
done
cat "$workdir/check_speed/table"
