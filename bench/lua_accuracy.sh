#!/usr/bin/env bash
# lua_accuracy.sh - cleave's direct call graph against GCC's, on Lua 5.4 as
# Debian builds it.
#
# Steps, each skipped when its result is already in the work directory:
#   1. installs what it needs with apt-get (bear, gcc, dpkg-dev, python3,
#      then Lua's build dependencies), adding a deb-src entry only when
#      `apt-get source` cannot work without one;
#   2. `apt-get source lua5.4` into the work directory;
#   3. builds it the Debian way (debian/rules build, tests off) under bear,
#      which records the compile database;
#   4. gcc_callgraph.py reruns each C compile with -O0 -fcallgraph-info and
#      writes GCC's graph, plus the C-only database (one entry per file)
#      that both sides use;
#   5. `cleave scan` on the same database, then callgraph_compare.py prints
#      recall, precision, cleave's indirect-call figures and every difference.
#
# Exit status: 0 when recall and precision reach --min, 1 when not, 2 when
# the benchmark itself could not run.  Nothing of Lua's is run but its
# build; the work directory (default bench/work) is not part of the repo.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
workdir="$here/work"
cleave="$repo/build/cleave"
min=99.5
gcc_only=0
fresh=0
bench=lua_accuracy
. "$here/common.sh"

usage() {
    cat <<EOF
usage: bench/lua_accuracy.sh [--workdir DIR] [--cleave PATH] [--min PERCENT] [--gcc-only] [--fresh]
  --workdir DIR   where Lua is fetched, built and compared (default: bench/work)
  --cleave PATH   the cleave binary (default: build/cleave)
  --min PERCENT   required recall and precision (default: 99.5)
  --gcc-only      stop after GCC's graph (no cleave needed)
  --fresh         fetch and build Lua again instead of reusing the work directory
EOF
}

while [ $# -gt 0 ]; do
    case "$1" in
        --workdir) [ $# -ge 2 ] || die "--workdir needs a directory"; workdir=$2; shift 2 ;;
        --cleave) [ $# -ge 2 ] || die "--cleave needs a path"; cleave=$2; shift 2 ;;
        --min) [ $# -ge 2 ] || die "--min needs a percentage"; min=$2; shift 2 ;;
        --gcc-only) gcc_only=1; shift ;;
        --fresh) fresh=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
done

# --- 1. tools -------------------------------------------------------------
need_commands bear:bear gcc:gcc dpkg-source:dpkg-dev python3:python3

mkdir -p "$workdir"
workdir=$(cd "$workdir" && pwd)
rawdb="$workdir/bear/compile_commands.json"
cdb="$workdir/cdb/compile_commands.json"
if [ "$fresh" = 1 ]; then
    rm -rf "$workdir"/lua5.4-* "$workdir"/lua5.4_* "$workdir/bear" "$workdir/cdb" \
        "$workdir/gcc-graph.json" "$workdir/graph.json" "$workdir/report.txt" "$workdir/build.log"
fi

# --- 2. Lua's source ------------------------------------------------------
fetch_source lua5.4
srcdir=$source_dir

# --- 3. the Debian build under bear ---------------------------------------
if [ ! -s "$rawdb" ]; then
    if ! (cd "$srcdir" && dpkg-checkbuilddeps >/dev/null 2>&1); then
        apt_update
        say "installing Lua's build dependencies"
        as_root env DEBIAN_FRONTEND=noninteractive apt-get build-dep -y -qq "$srcdir" >/dev/null
    fi
    mkdir -p "$(dirname "$rawdb")"
    say "building Lua under bear (log: $workdir/build.log)"
    # dh keeps stamps: clean first so every unit is compiled, and so recorded.
    if ! (cd "$srcdir" && export DEB_BUILD_OPTIONS=nocheck &&
          make -f debian/rules clean && bear --output "$rawdb" -- make -f debian/rules build) \
          >"$workdir/build.log" 2>&1; then
        rm -f "$rawdb"
        die "the Lua build failed, see $workdir/build.log"
    fi
    [ -s "$rawdb" ] || die "bear recorded no compile commands ($rawdb)"
fi

# --- 4. GCC's graph -------------------------------------------------------
say "GCC's call graph (-O0 -fcallgraph-info)"
python3 "$here/gcc_callgraph.py" --db "$rawdb" --root "$srcdir" \
    --c-db "$cdb" --out "$workdir/gcc-graph.json" || die "GCC's graph could not be built"
[ "$gcc_only" = 0 ] || exit 0

# --- 5. cleave's graph and the comparison ---------------------------------
[ -x "$cleave" ] || die "no cleave binary at $cleave (build it, or pass --cleave PATH)"
say "cleave scan $srcdir -p $(dirname "$cdb")"
"$cleave" scan "$srcdir" -p "$(dirname "$cdb")" -o "$workdir/graph.json" ||
    die "cleave scan failed"
set +e
python3 "$here/callgraph_compare.py" --gcc "$workdir/gcc-graph.json" --cleave "$workdir/graph.json" \
    --root "$srcdir" --min "$min" | tee "$workdir/report.txt"
status=${PIPESTATUS[0]}
set -e
say "report saved in $workdir/report.txt"
exit "$status"
