#!/usr/bin/env bash
# plan_scale.sh - how `cleave plan` grows with the size of the program:
# synthetic graphs of 10k to 1M functions (bench/gen_graph.c, K calls per
# function, a fixed seed), each planned as a user runs it and with
# --no-render.  Figures and commands: docs/performance.md.
#
# For each size N the generator (built here with cc, not part of cleave)
# writes WORK/plan-scale/g<N>-k<K>-s<SEED>.json (again only when the
# generator changed); then
#   plan       `cleave plan --graph G -o OUT -q`: the plan, the graph copy
#              and the diagrams (DOT always; SVG when small enough)
#   norender   the same with --no-render (DOT only)
#   services   --no-render --services 10: the folders' groups merged down
#              to ten services (2,529 services without the option at 300k)
#   check      `cleave check --graph G --plan P`: the graph against the
#              plan made from it (the --no-render one), as a CI gate runs
#              on an unchanged tree
# each under /usr/bin/time (wall seconds, peak RSS).  Prints one table and,
# for each measure, the growth exponent: the least-squares slope of
# log(seconds) against log(functions) over the sizes.
#
# Exit status: 0 when measured and the 1M-function plan (when among the
# sizes) took at most --max-seconds and --max-rss-mb; 1 when it did not;
# 2 when the benchmark could not run.  The graphs (1.2 GB at 1M) and the
# outputs live in the work directory (default bench/work), not in the
# repository.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
workdir="$here/work"
build="$repo/build"
sizes="10000 30000 100000 300000 1000000"
per=5
seed=1
max_seconds=20
max_rss_mb=4096
bench=plan_scale
. "$here/common.sh"

usage() {
    cat <<EOF
usage: bench/plan_scale.sh [--workdir DIR] [--build DIR] [--sizes "10000 ... 1000000"]
                           [--calls-per K] [--seed S] [--max-seconds T] [--max-rss-mb M]
  --workdir DIR     where the graphs and plans go (default: bench/work)
  --build DIR       cleave's build directory (default: build)
  --sizes LIST      functions per graph (default: $sizes)
  --calls-per K     calls per function (default: $per)
  --seed S          the generator's seed (default: $seed)
  --max-seconds T   limit for the 1M-function plan (default: $max_seconds)
  --max-rss-mb M    limit for its peak RSS in MB (default: $max_rss_mb)
EOF
}

while [ $# -gt 0 ]; do
    case "$1" in
        --workdir) [ $# -ge 2 ] || die "--workdir needs a directory"; workdir=$2; shift 2 ;;
        --build) [ $# -ge 2 ] || die "--build needs a directory"; build=$2; shift 2 ;;
        --sizes) [ $# -ge 2 ] || die "--sizes needs a list"; sizes=$2; shift 2 ;;
        --calls-per) [ $# -ge 2 ] || die "--calls-per needs a number"; per=$2; shift 2 ;;
        --seed) [ $# -ge 2 ] || die "--seed needs a number"; seed=$2; shift 2 ;;
        --max-seconds) [ $# -ge 2 ] || die "--max-seconds needs a number"; max_seconds=$2; shift 2 ;;
        --max-rss-mb) [ $# -ge 2 ] || die "--max-rss-mb needs a number"; max_rss_mb=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
done
for n in $sizes; do [[ "$n" =~ ^[1-9][0-9]*$ ]] || die "--sizes takes whole numbers"; done
[[ "$seed" =~ ^[0-9]+$ ]] || die "--seed takes a whole number"
mkdir -p "$workdir/plan-scale"
workdir=$(cd "$workdir" && pwd)
out="$workdir/plan-scale"
cleave="$build/cleave"
[ -x "$cleave" ] || die "$cleave missing: run 'make build' first"
need_commands cc:gcc python3:python3 /usr/bin/time:time

# ---- the generator ---------------------------------------------------------

gen="$out/gen_graph"
if [ ! -x "$gen" ] || [ "$here/gen_graph.c" -nt "$gen" ]; then
    say "building $gen"
    cc -O2 -std=c11 -o "$gen" "$here/gen_graph.c" -lm || die "cannot build the generator"
fi

# ---- measures --------------------------------------------------------------

# measure NAME ARGS...: runs cleave ARGS under /usr/bin/time; sets secs and
# rss_mb.  A failed plan stops the benchmark.
measure() {
    local name=$1 stats
    shift
    stats="$out/$name.time"
    if ! /usr/bin/time -f '%e %M' -o "$stats" "$cleave" "$@" >"$out/$name.stdout" 2>"$out/$name.stderr"; then
        cat "$out/$name.stderr" >&2
        die "cleave $* failed (see $out/$name.stderr)"
    fi
    read -r secs rss_kb <"$stats"
    rss_mb=$((rss_kb / 1024))
}

rows=()
for n in $sizes; do
    g="$out/g$n-k$per-s$seed.json"
    if [ ! -s "$g" ] || [ "$gen" -nt "$g" ]; then
        say "generating $g"
        "$gen" -n "$n" --calls-per "$per" --seed "$seed" -o "$g.tmp" 2>"$out/gen-$n.log" ||
            die "the generator failed (see $out/gen-$n.log)"
        mv "$g.tmp" "$g"
    fi
    # the file system cache holds the graph for both measures alike
    cat "$g" >/dev/null
    calls=$(head -c 4096 "$g" | python3 -c "import re, sys; t = sys.stdin.read(); print(sum(int(re.search('\"%s_calls\":([0-9]+)' % k, t).group(1)) for k in ('direct', 'indirect')))")
    mb=$(( $(stat -c %s "$g") / 1000000 ))
    say "$n functions: cleave plan"
    rm -rf "$out/p$n"
    measure "plan-$n" plan --graph "$g" -o "$out/p$n" -q
    plan_s=$secs plan_mb=$rss_mb
    components=$(python3 -c "import json,sys; m=json.load(open(sys.argv[1]))['metrics']; print(m['services'] + m['functions'] + m['libraries'])" "$out/p$n/plan.json")
    say "$n functions: cleave plan --no-render"
    rm -rf "$out/q$n"
    measure "norender-$n" plan --graph "$g" -o "$out/q$n" -q --no-render
    norender_s=$secs norender_mb=$rss_mb
    say "$n functions: cleave plan --no-render --services 10"
    rm -rf "$out/s$n"
    measure "services-$n" plan --graph "$g" -o "$out/s$n" -q --no-render --services 10
    services_s=$secs
    say "$n functions: cleave check"
    measure "check-$n" check --graph "$g" --plan "$out/q$n/plan.json" -q --format json
    rows+=("$n $calls $mb $components $plan_s $plan_mb $norender_s $norender_mb $services_s $secs $rss_mb")
done

# ---- report ----------------------------------------------------------------

python3 - "$max_seconds" "$max_rss_mb" "${rows[@]}" <<'EOF'
import math, sys
max_s, max_mb = float(sys.argv[1]), float(sys.argv[2])
rows = [r.split() for r in sys.argv[3:]]
print("| functions | calls | graph MB | components | plan s | peak RSS MB | --no-render s | peak RSS MB | --services 10 s | check s | peak RSS MB |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
for n, calls, mb, comp, ps, pm, qs, qm, ss, cs, cm in rows:
    print(f"| {int(n):,} | {int(calls):,} | {mb} | {comp} | {float(ps):.2f} | {pm} | {float(qs):.2f} | {qm} | {float(ss):.2f} | {float(cs):.2f} | {cm} |")

def slope(col):
    pts = [(math.log(float(r[0])), math.log(max(float(r[col]), 0.01))) for r in rows]
    if len(pts) < 2:
        return float("nan")
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    return sum((x - mx) * (y - my) for x, y in pts) / sxx if sxx else float("nan")

def slopes(label, keep):
    global rows
    every = rows
    rows = [r for r in every if keep(int(r[0]))]
    if len(rows) >= 2:
        print(f"growth exponent {label}: plan {slope(4):.2f}, --no-render {slope(6):.2f}, "
              f"--services 10 {slope(8):.2f}, check {slope(9):.2f}; peak RSS {slope(5):.2f}")
    rows = every

print()
print("(least-squares slope of log seconds, and of log RSS, on log functions)")
slopes("over all sizes", lambda n: True)
slopes("from 100,000 functions", lambda n: n >= 100000)
big = [r for r in rows if int(r[0]) == 1000000]
if big:
    n, calls, mb, comp, ps, pm, qs, qm, ss, cs, cm = big[0]
    ok = float(ps) <= max_s and float(pm) <= max_mb
    print(f"1M functions: {float(ps):.2f} s, {pm} MB "
          f"({'within' if ok else 'OVER'} {max_s:g} s and {max_mb:g} MB)")
    sys.exit(0 if ok else 1)
EOF
