#!/usr/bin/env bash
# workers_cost.sh - what parsing in worker processes costs a cold scan
# (docs/security.md#7-crashes-and-hangs-worker-processes), against parsing
# in the scan's own process.
#
# A scan parses in its own process only when it cannot start a worker
# (analyzer/scan/workers.c); there is no option for it.  The in-process
# scan here is the same binary with fork() failing: a preloaded shim,
# compiled into the work directory, makes every fork return EAGAIN, and
# the scan warns once and parses each unit itself, one after the other.
#
# Measures, interleaved --runs times so that each sees the same load, a
# cold scan (empty cache, written) of the tree: in-process, then with
# workers at each -j of --jobs.  Prints the median wall, user and system
# time of each (user and system include the workers: they are the scan's
# children, waited for) and the ratio of each to in-process.
# The graphs of every mode must be the same bytes.
#
# Exit status: 0 when measured, 2 when the benchmark could not run.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
workdir="$here/work/workers_cost"
build="$repo/build"
tree=""
db=""
runs=5
jobs_list="1 2"
bench=workers_cost
. "$here/common.sh"

usage() {
    cat <<EOF
usage: bench/workers_cost.sh --tree DIR [-p DB_DIR] [--build DIR] [--runs N]
                             [--jobs "1 2"] [--workdir DIR]
  --tree DIR      the project to scan (built under bear)
  -p DB_DIR       the folder of its compile_commands.json (default: the tree)
  --build DIR     cleave's build directory (default: build)
  --runs N        timed scans of each mode, interleaved; medians count (default: 5)
  --jobs LIST     worker counts to measure (default: "1 2")
  --workdir DIR   caches, graphs and the fork shim (default: bench/work/workers_cost)
EOF
}

while [ $# -gt 0 ]; do
    case "$1" in
        --tree) [ $# -ge 2 ] || die "--tree needs a directory"; tree=$2; shift 2 ;;
        -p) [ $# -ge 2 ] || die "-p needs a directory"; db=$2; shift 2 ;;
        --build) [ $# -ge 2 ] || die "--build needs a directory"; build=$2; shift 2 ;;
        --runs) [ $# -ge 2 ] || die "--runs needs a number"; runs=$2; shift 2 ;;
        --jobs) [ $# -ge 2 ] || die "--jobs needs a list"; jobs_list=$2; shift 2 ;;
        --workdir) [ $# -ge 2 ] || die "--workdir needs a directory"; workdir=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
done
[ -n "$tree" ] || { usage >&2; exit 2; }
[ -n "$db" ] || db=$tree
[ -f "$db/compile_commands.json" ] || die "$db has no compile_commands.json"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "--runs takes a whole number from 1"
for j in $jobs_list; do [[ "$j" =~ ^[1-9][0-9]*$ ]] || die "--jobs takes whole numbers from 1"; done
cleave="$build/cleave"
[ -x "$cleave" ] || die "$cleave missing: run 'make build' first"
need_commands cc:gcc python3:python3
mkdir -p "$workdir"
workdir=$(cd "$workdir" && pwd)

shim="$workdir/nofork.so"
printf '%s\n' '#include <errno.h>' '#include <unistd.h>' \
    'pid_t fork(void) { errno = EAGAIN; return -1; }' > "$workdir/nofork.c"
cc -O2 -shared -fPIC -o "$shim" "$workdir/nofork.c" || die "cannot build the fork shim"

modes="inproc"
for j in $jobs_list; do modes="$modes j$j"; done

# scan MODE TAG [PREFIX...]: one cold scan, its graph and stderr in the work dir
scan() {
    local mode=$1 tag=$2 j=1
    shift 2
    local pre=()
    if [ "$mode" = inproc ]; then pre=(env LD_PRELOAD="$shim"); else j=${mode#j}; fi
    rm -rf "$workdir/cache-$tag"
    "$@" "${pre[@]}" "$cleave" scan "$tree" -p "$db" -j "$j" --unit-timeout 0 \
        --cache-dir "$workdir/cache-$tag" -o "$workdir/graph-$tag.json" 2> "$workdir/err-$tag"
    if [ "$mode" = inproc ]; then
        grep -q "cannot start a worker process" "$workdir/err-$tag" ||
            die "the shim did not stop the workers (see $workdir/err-$tag)"
    fi
    cmp -s "$workdir/graph-$tag.json" "$workdir/graph-inproc.json" ||
        [ "$tag" = inproc ] || die "the graph of $tag differs from the in-process one"
}

declare -A wall user sys
say "$runs cold scans of each of: $modes ($tree)"
scan inproc inproc
for _ in $(seq 1 "$runs"); do
    for m in $modes; do
        scan "$m" "$m" /usr/bin/time -f "%e %U %S" -o "$workdir/time-$m"
        read -r w u s < "$workdir/time-$m"
        wall[$m]="${wall[$m]:-} $w"; user[$m]="${user[$m]:-} $u"; sys[$m]="${sys[$m]:-} $s"
    done
done

median() { python3 -c "import sys, statistics; print(f'{statistics.median(float(x) for x in sys.argv[1:]):.2f}')" "$@"; }
echo "cold scan of $tree, median of $runs (seconds; ratio to in-process)"
printf '%-8s %16s %16s %16s %16s\n' mode wall user sys user+sys
for m in $modes; do
    # shellcheck disable=SC2086  # the lists are numbers, split on purpose
    {
        w=$(median ${wall[$m]})
        u=$(median ${user[$m]})
        s=$(median ${sys[$m]})
    }
    # the medians' sum
    c=$(python3 -c "import sys; print(f'{float(sys.argv[1]) + float(sys.argv[2]):.2f}')" "$u" "$s")
    [ "$m" = inproc ] && { w0=$w; u0=$u; s0=$s; c0=$c; }
    printf '%-8s %9s (%.3f) %9s (%.3f) %9s (%.3f) %9s (%.3f)\n' "$m" "$w" "$(ratio "$w" "$w0")" \
        "$u" "$(ratio "$u" "$u0")" "$s" "$(ratio "$s" "$s0")" "$c" "$(ratio "$c" "$c0")"
done
for m in $modes; do
    # shellcheck disable=SC2086
    echo "  $m runs: wall${wall[$m]}; user${user[$m]}; sys${sys[$m]}"
done
