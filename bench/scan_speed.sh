#!/usr/bin/env bash
# scan_speed.sh - how fast `cleave scan` is on real projects (Lua, Bash and
# Git from Debian's source packages, built under bear), against the limits
# of the compiler front end.  Figures and commands: docs/performance.md.
#
# For each project, --runs times (default 3), interleaved so that every
# measure sees the same machine load, then the fastest of each:
#   floor     bench/parse_floor: one process that loads libclang and the
#             database, then parses every unit once, serially, with
#             cleave's flags, and does nothing else (wall time of the
#             process; `parse` is its parse loop alone)
#   syntax    `clang -fsyntax-only` run once per unit, --jobs at a time,
#             in the entry's directory with the entry's own flags
#   syn1      the same one unit at a time (first run only): against the
#             floor, what one clang process per unit costs on this machine
#   cold      `cleave scan -j JOBS` with an empty cache (writing it)
#   warm      the same scan again, nothing changed
#   touch_c   after one .c file's contents changed
#   touch_h   after a widely included header's contents changed
# plus cleave's peak RSS on the cold scan.  Prints one table; ratios are
# cold/floor, cold/syntax, syn1/floor, warm/cold, touch_c/cold and
# touch_h/cold, with the units each warm scan parsed again.
#
# Exit status: 0 when measured, 2 when the benchmark could not run.  The
# sources and builds live in the work directory (default bench/work), not
# in the repository; the edited files are restored after each run.  Of the
# projects, only their builds run (under bear, to record the database).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
workdir="$here/work"
build="$repo/build"
runs=3
jobs=2
projects="lua bash git"
bash_build=""
clang_bin=""
bench=scan_speed
. "$here/common.sh"

usage() {
    cat <<EOF
usage: bench/scan_speed.sh [--workdir DIR] [--build DIR] [--runs N] [--jobs N]
                           [--projects "lua bash git"] [--bash-build DIR] [--clang PATH]
  --workdir DIR     where the projects are fetched and built (default: bench/work)
  --build DIR       cleave's build directory, with cleave and parse_floor (default: build)
  --runs N          measurements of each figure; the fastest counts (default: 3)
  --jobs N          parallelism of the cold scan and of clang -fsyntax-only (default: 2)
  --projects LIST   which projects, of lua, bash and git (default: all three)
  --bash-build DIR  an existing Bash build directory holding compile_commands.json
                    (default: build one in the work directory)
  --clang PATH      the clang for -fsyntax-only (default: clang-<libclang's major>)
EOF
}

while [ $# -gt 0 ]; do
    case "$1" in
        --workdir) [ $# -ge 2 ] || die "--workdir needs a directory"; workdir=$2; shift 2 ;;
        --build) [ $# -ge 2 ] || die "--build needs a directory"; build=$2; shift 2 ;;
        --runs) [ $# -ge 2 ] || die "--runs needs a number"; runs=$2; shift 2 ;;
        --jobs) [ $# -ge 2 ] || die "--jobs needs a number"; jobs=$2; shift 2 ;;
        --projects) [ $# -ge 2 ] || die "--projects needs a list"; projects=$2; shift 2 ;;
        --bash-build) [ $# -ge 2 ] || die "--bash-build needs a directory"; bash_build=$2; shift 2 ;;
        --clang) [ $# -ge 2 ] || die "--clang needs a path"; clang_bin=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
done
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "--runs takes a whole number from 1"
[[ "$jobs" =~ ^[1-9][0-9]*$ ]] || die "--jobs takes a whole number from 1"
mkdir -p "$workdir"
workdir=$(cd "$workdir" && pwd)
cleave="$build/cleave"
floor="$build/parse_floor"
[ -x "$cleave" ] && [ -x "$floor" ] || die "$cleave or $floor missing: run 'make build' first"
need_commands bear:bear gcc:gcc make:make python3:python3 dpkg-source:dpkg-dev
if [ -z "$clang_bin" ]; then
    major=$("$cleave" --version | sed -n 's/.*clang version \([0-9]*\).*/\1/p')
    clang_bin=$(command -v "clang-$major" || command -v clang || true)
fi
[ -n "$clang_bin" ] || die "no clang for the -fsyntax-only figure; give --clang"

# ---- the projects: source tree, compile database, files to edit --------

# Sets src (the tree), db (the folder holding compile_commands.json),
# cfile and header (paths inside src edited by the touch measures).
prepare_lua() {
    if [ ! -f "$workdir/cdb/compile_commands.json" ]; then
        say "building Lua with bench/lua_accuracy.sh --gcc-only"
        "$here/lua_accuracy.sh" --workdir "$workdir" --gcc-only >&2
    fi
    src=$(find "$workdir" -mindepth 1 -maxdepth 1 -type d -name 'lua5.4-[0-9]*' | sort | head -n 1)
    db="$workdir/cdb"
    cfile=src/lvm.c
    header=src/lobject.h
}

prepare_bash() {
    cfile=execute_cmd.c
    header=shell.h
    if [ -n "$bash_build" ]; then
        db=$bash_build
        src=$bash_build
        [ -f "$db/compile_commands.json" ] || die "$db has no compile_commands.json"
        [ -f "$src/$cfile" ] || src=$(sed -n 's/^srcdir = //p' "$db/Makefile")
        return 0
    fi
    fetch_source bash
    # built in a copy of its own: the touch measures edit the tree
    src="$workdir/bash-build"
    db=$src
    if [ ! -f "$db/compile_commands.json" ]; then
        say "configuring and building Bash under bear in $src"
        rm -rf "$src" && cp -a "$source_dir" "$src"
        (cd "$src" && ./configure --without-bash-malloc >/dev/null &&
            bear --output compile_commands.json -- make -j"$jobs" >/dev/null 2>&1) ||
            die "the Bash build failed (see $src)"
    fi
}

prepare_git() {
    cfile=builtin/commit.c
    header=cache.h
    fetch_source git
    src=$source_dir
    db="$workdir/git-cdb"
    if [ ! -f "$db/compile_commands.json" ]; then
        local h missing=()
        for h in zlib.h:zlib1g-dev expat.h:libexpat1-dev pcre2.h:libpcre2-dev \
                 openssl/ssl.h:libssl-dev x86_64-linux-gnu/curl/curl.h:libcurl4-gnutls-dev; do
            [ -f "/usr/include/${h%%:*}" ] || missing+=("${h#*:}")
        done
        [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
        say "building Git's C programs under bear (database in $db)"
        mkdir -p "$db"
        (cd "$src" && bear --output "$db/compile_commands.json" -- \
            make -j"$jobs" USE_LIBPCRE2=1 NO_TCLTK=1 NO_GETTEXT=1 prefix=/usr all >/dev/null 2>&1) ||
            die "the Git build failed (run make in $src to see why)"
    fi
}

# ---- measures ------------------------------------------------------------

now() { date +%s.%N; }
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$1" "$2"; }

# clang -fsyntax-only once per unit cleave scans (the first database entry
# of each .c file, as cleave takes them: libtool and Bash's version.c
# compile a file twice), $1 at a time, in the entry's directory with the
# entry's own arguments: the compiler replaced by clang, -c, -o and
# dependency output dropped, every -I, -D and other flag kept.
syntax_only() {
    python3 - "$db/compile_commands.json" "$clang_bin" "$1" <<'EOF'
import json, os, shlex, subprocess, sys
from concurrent.futures import ThreadPoolExecutor
db, clang, jobs = sys.argv[1], sys.argv[2], int(sys.argv[3])
def cmd(e):
    argv = e["arguments"] if "arguments" in e else shlex.split(e["command"])
    out, skip = [clang, "-fsyntax-only", "-w"], False
    for a in argv[1:]:
        if skip:
            skip = False
        elif a in ("-o", "-MF", "-MT", "-MQ"):
            skip = True
        elif a in ("-c", "-MD", "-MMD", "-MP", "-M", "-MM"):
            pass
        else:
            out.append(a)
    return e["directory"], out
entries, seen = [], set()
for e in json.load(open(db)):
    path = os.path.realpath(os.path.join(e["directory"], e["file"]))
    if e["file"].endswith(".c") and path not in seen:
        seen.add(path)
        entries.append(e)
def run(e):
    d, argv = cmd(e)
    return subprocess.run(argv, cwd=d, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
with ThreadPoolExecutor(jobs) as pool:
    failed = sum(1 for rc in pool.map(run, entries) if rc != 0)
if failed:
    print(f"scan_speed: clang -fsyntax-only failed on {failed} of {len(entries)} units", file=sys.stderr)
EOF
}

# One cleave scan into $work with the cache in $work/cache; sets t (seconds)
# and parsed (units parsed, from the summary line).
scan() {
    local start end
    start=$(now)
    /usr/bin/time -f %M -o "$work/rss" "$cleave" scan "$src" -p "$db" -j "$jobs" \
        --cache-dir "$work/cache" -o "$work/graph.json" 2>"$work/stderr" ||
        die "cleave scan failed: $(tail -n 3 "$work/stderr")"
    end=$(now)
    t=$(elapsed "$start" "$end")
    parsed=$(sed -n 's/.*; \([0-9]*\) parsed, [0-9]* cached$/\1/p' "$work/stderr")
    units=$(sed -n 's/^cleave: \([0-9]*\) units:.*/\1/p' "$work/stderr")
}

# Appends a comment to a file (a real content change); restore() undoes it
# with the original bytes and time.
edit() { cp -p "$src/$1" "$work/saved"; printf '\n/* scan_speed */\n' >>"$src/$1"; }
restore() { cp -p "$work/saved" "$src/$1"; }

min() { python3 -c "import sys; print(min(float(x) for x in sys.argv[1:]))" "$@"; }
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.3f}')" "$1" "$2"; }

measure() {
    local name=$1 r start
    "prepare_$name"
    [ -f "$src/$cfile" ] && [ -f "$src/$header" ] || die "$name: $cfile or $header missing in $src"
    work="$workdir/scan_speed/$name"
    rm -rf "$work" && mkdir -p "$work"
    local floors=() loops=() syntaxes=() colds=() warms=() cs=() hs=() rss=() syn1=""
    for r in $(seq "$runs"); do
        say "$name: run $r of $runs"
        start=$(now)
        loops+=("$("$floor" "$src" "$db" | sed -n 's/^parse_seconds //p')")
        floors+=("$(elapsed "$start" "$(now)")")
        start=$(now)
        syntax_only "$jobs"
        syntaxes+=("$(elapsed "$start" "$(now)")")
        if [ "$r" = 1 ]; then
            start=$(now)
            syntax_only 1
            syn1=$(elapsed "$start" "$(now)")
        fi
        rm -rf "$work/cache"
        scan; colds+=("$t"); rss+=("$(cat "$work/rss")")
        scan; warms+=("$t"); warm_parsed=$parsed
        trap 'restore "$cfile"' EXIT
        edit "$cfile"; scan; cs+=("$t"); c_parsed=$parsed; restore "$cfile"
        trap 'restore "$header"' EXIT
        edit "$header"; scan; hs+=("$t"); h_parsed=$parsed; restore "$header"
        trap - EXIT
    done
    local f l s c w tc th
    f=$(min "${floors[@]}"); l=$(min "${loops[@]}"); s=$(min "${syntaxes[@]}"); c=$(min "${colds[@]}")
    w=$(min "${warms[@]}"); tc=$(min "${cs[@]}"); th=$(min "${hs[@]}")
    printf '%-5s %6s %8.2f %8.2f %8.2f %8.2f %8.2f %6s %6s %7.3f %5s %7.3f %5s %7.3f %5s %6s\n' \
        "$name" "$units" "$f" "$l" "$s" "$syn1" "$c" "$(ratio "$c" "$f")" "$(ratio "$c" "$s")" \
        "$w" "$warm_parsed" "$tc" "$c_parsed" "$th" "$h_parsed" \
        "$(( $(min "${rss[@]}" | cut -d. -f1) / 1024 ))" >>"$workdir/scan_speed/table"
    printf '%-5s %6s %8s %8s %8s %8s %8s %6s %6s %7s %5s %7s %5s %7s %5s %6s\n' "" "" "" "" "" \
        "$(ratio "$syn1" "$f")" "" "" "" "$(ratio "$w" "$c")" "" "$(ratio "$tc" "$c")" "" \
        "$(ratio "$th" "$c")" "" "" >>"$workdir/scan_speed/table"
}

mkdir -p "$workdir/scan_speed"
{
    echo "cleave scan -j $jobs; fastest of $runs runs; seconds; ratios under each figure"
    printf '%-5s %6s %8s %8s %8s %8s %8s %6s %6s %7s %5s %7s %5s %7s %5s %6s\n' project units \
        floor parse syntax syn1 cold c/fl c/syn warm parsd touch_c parsd touch_h parsd rss_MB
} >"$workdir/scan_speed/table"
for p in $projects; do
    case "$p" in lua|bash|git) measure "$p" ;; *) die "unknown project $p (lua, bash or git)" ;; esac
done
cat "$workdir/scan_speed/table"
