#!/usr/bin/env bash
# unconfigured.sh - how much of the direct call graph cleave recovers from a
# tree that was never configured (no compile_commands.json, no config.h:
# cleave stands in for missing headers from their *.h.in templates), on Lua
# 5.4, Bash 5.2, libxslt 1.1.35 and nginx 1.22 as Debian ships them.
# libxslt's templates switch features in #if lines (`#if @WITH_DEBUGGER@`
# in libxslt/xsltconfig.h.in), and it includes libxml2's headers from
# /usr/include/libxml2, where only pkg-config would point.  nginx's
# configure writes its headers from shell scripts, with no template: its
# code's `#if (NGX_HAVE_UNISTD_H)` tests are all there is to go by.
#
# For each project, steps skipped when their result is already in the work
# directory:
#   1. installs what it needs with apt-get (bear, gcc, make, dpkg-dev,
#      python3; libxml2-dev and libgcrypt20-dev for libxslt; libpcre2-dev,
#      libssl-dev and zlib1g-dev for nginx), adding a deb-src entry only
#      when `apt-get source` cannot work without one;
#   2. the configured build under bear: Lua the Debian way (lua_accuracy.sh
#      --gcc-only), Bash with ./configure --without-bash-malloc and make
#      (as bash_plan.sh does), libxslt with ./configure --without-python
#      and make (libgcrypt found: EXSLT crypto on, as Debian builds it),
#      nginx as common.sh's nginx_build configures it (or the tree given
#      with --tree nginx=DIR, built already);
#   3. a pristine tree, unpacked again from the source package into
#      pristine/ so that no build has touched it;
#   4. `cleave scan <pristine> --no-cache` (no compile DB) and
#      `cleave scan <build> --no-cache` with the build's DB; the pristine
#      tree must be unchanged afterwards;
#   5. edge_recovery.py: recall and precision of the unconfigured scan's
#      direct edges against the configured one's, on the files both
#      contain, keyed by (file, name) of caller and callee, and the share
#      of the configured scan's functions the unconfigured one sees.
#
# Exit status: 0 when every project reaches --min-recall and
# --min-precision (and its pristine tree is untouched), 1 when not, 2 when
# the benchmark itself could not run.  Nothing of the projects' is run but
# their builds; the work directory (default bench/work) is not part of the
# repo.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
workdir="$here/work"
cleave="$repo/build/cleave"
min_recall=90
min_precision=99
projects="lua bash libxslt nginx"
bench=unconfigured
. "$here/common.sh"

usage() {
    cat <<EOF
usage: bench/unconfigured.sh [--workdir DIR] [--cleave PATH] [--min-recall PERCENT]
                             [--min-precision PERCENT] [--only lua|bash|libxslt|nginx]
                             [--tree bash|nginx=DIR] [--source NAME=TARBALL] [--fresh]
  --workdir DIR            where the sources are fetched, built and scanned (default: bench/work)
  --cleave PATH            the cleave binary (default: build/cleave)
  --min-recall PERCENT     required recall of the configured scan's edges (default: 90)
  --min-precision PERCENT  required precision of the unconfigured scan's edges (default: 99)
  --only PROJECT           just one of lua, bash, libxslt, nginx
  --tree NAME=DIR          NAME's configured build, made already under bear (not built again)
  --source NAME=TARBALL    NAME's pristine tree unpacked from this upstream tarball, not
                           from `apt-get source` (a mirror without the package's .dsc)
  --fresh                  unpack the pristine trees and scan again (the builds are kept)
EOF
}

fresh=0
declare -A source_tarball=()
while [ $# -gt 0 ]; do
    case "$1" in
        --workdir) [ $# -ge 2 ] || die "--workdir needs a directory"; workdir=$2; shift 2 ;;
        --cleave) [ $# -ge 2 ] || die "--cleave needs a path"; cleave=$2; shift 2 ;;
        --min-recall) [ $# -ge 2 ] || die "--min-recall needs a percentage"; min_recall=$2; shift 2 ;;
        --min-precision) [ $# -ge 2 ] || die "--min-precision needs a percentage"; min_precision=$2; shift 2 ;;
        --only)
            case "${2:-}" in
                lua|bash|libxslt|nginx) projects=$2 ;;
                *) die "--only needs lua, bash, libxslt or nginx" ;;
            esac
            shift 2 ;;
        --tree) [ $# -ge 2 ] || die "--tree needs NAME=DIR"; given --tree "$2" bash nginx; shift 2 ;;
        --source)
            [ $# -ge 2 ] || die "--source needs NAME=TARBALL"
            given --graph "$2" lua bash libxslt nginx  # checks NAME and the file
            source_tarball[${2%%=*}]=${given_graph[${2%%=*}]}; shift 2 ;;
        --fresh) fresh=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
done

[ -x "$cleave" ] || die "no cleave binary at $cleave (build it, or pass --cleave PATH)"
cleave=$(cd "$(dirname "$cleave")" && pwd)/$(basename "$cleave")

# --- 1. tools -------------------------------------------------------------
need_commands python3:python3 dpkg-source:dpkg-dev

mkdir -p "$workdir"
workdir=$(cd "$workdir" && pwd)
out="$workdir/unconfigured"
report="$workdir/unconfigured-report.txt"
[ "$fresh" = 0 ] || rm -rf "$workdir/pristine" "$out" "$report"
mkdir -p "$out"

# A listing of every file with its size and time, to tell that a scan
# wrote nothing into a tree.
snapshot() {
    (cd "$1" && find . -printf '%p %s %T@\n' | LC_ALL=C sort)
}

# libxslt_build: libxslt fetched into $workdir and built there under bear,
# unless its compile database exists already; sets `libxslt_dir`.  Debian's
# patches leave Makefile.am newer than Makefile.in, which would make make
# run automake: the generated files are touched in their order first.
libxslt_build() {
    need_commands bear:bear gcc:gcc make:make dpkg-source:dpkg-dev xml2-config:libxml2-dev \
        libgcrypt-config:libgcrypt20-dev
    fetch_source libxslt
    libxslt_dir=$source_dir
    [ -s "$libxslt_dir/compile_commands.json" ] && return 0
    say "building libxslt under bear (log: $workdir/libxslt-build.log)"
    if ! (cd "$libxslt_dir" && touch aclocal.m4 && sleep 1 && touch configure &&
          find . -name Makefile.in -exec touch {} + && touch config.h.in &&
          ./configure --without-python &&
          bear --output "$libxslt_dir/compile_commands.json" -- make -j2) \
          >"$workdir/libxslt-build.log" 2>&1; then
        rm -f "$libxslt_dir/compile_commands.json"
        die "the libxslt build failed, see $workdir/libxslt-build.log"
    fi
    [ -s "$libxslt_dir/compile_commands.json" ] || die "bear recorded no compile commands for libxslt"
}

# recover NAME PRISTINE_PACKAGE BUILD_DIR DB_DIR: steps 3 to 5 for one
# project; appends to the report and sets status to 1 on a finding.
status=0
recover() {
    local name=$1 pkg=$2 build=$3 db=$4 rc=0 top
    if [ -n "${source_tarball[$name]:-}" ]; then
        top=$(tar -tf "${source_tarball[$name]}" | head -n 1) || true
        top=${top%%/*}
        [ -n "$top" ] || die "${source_tarball[$name]}: an empty tarball"
        pristine_dir="$workdir/pristine/$top"
        if [ ! -d "$pristine_dir" ]; then
            mkdir -p "$workdir/pristine"
            tar -xf "${source_tarball[$name]}" -C "$workdir/pristine" ||
                die "unpacking ${source_tarball[$name]} failed"
        fi
    else
        pristine_source "$pkg"
    fi
    snapshot "$pristine_dir" >"$out/$name-pristine.before"
    say "cleave scan $pristine_dir --no-cache (no compile DB)"
    "$cleave" scan "$pristine_dir" --no-cache -o "$out/$name-unconfigured.json" \
        2>"$out/$name-unconfigured.stderr" ||
        { cat "$out/$name-unconfigured.stderr" >&2; die "cleave scan $pristine_dir failed"; }
    say "cleave scan $build -p $db --no-cache"
    "$cleave" scan "$build" -p "$db" --no-cache -q -o "$out/$name-configured.json" ||
        die "cleave scan $build failed"
    {
        echo "== $name: $(basename "$pristine_dir")"
        python3 "$here/edge_recovery.py" --configured "$out/$name-configured.json" \
            --unconfigured "$out/$name-unconfigured.json" \
            --min-recall "$min_recall" --min-precision "$min_precision" || rc=$?
        if ! snapshot "$pristine_dir" | cmp -s - "$out/$name-pristine.before"; then
            echo "FAIL: the scan changed the pristine tree $pristine_dir"
            rc=1
        fi
        echo
    } >>"$report"
    [ "$rc" -le 1 ] || die "comparing the $name scans failed"
    [ "$rc" = 0 ] || status=1
}

: >"$report"
for project in $projects; do
    case "$project" in
        lua) lua_build; recover lua lua5.4 "$lua_dir" "$lua_db_dir" ;;
        bash) bash_build; recover bash bash "$bash_dir" "$bash_dir" ;;
        libxslt) libxslt_build; recover libxslt libxslt "$libxslt_dir" "$libxslt_dir" ;;
        nginx) nginx_build; recover nginx nginx "$nginx_dir" "$nginx_dir" ;;
    esac
done

cat "$report"
say "report saved in $report"
exit "$status"
