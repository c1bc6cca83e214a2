# shellcheck shell=bash
# common.sh - helpers the benchmark scripts share; sourced, never run.
#
# The sourcing script sets `bench` (its name, for messages) and `workdir`
# (an absolute path) before calling anything here.  Everything that needs
# root goes through as_root (sudo when not root).  Source packages are
# fetched into $workdir, which is not part of the repository.

die() { echo "$bench: $*" >&2; exit 2; }
say() { echo "$bench: $*" >&2; }

as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Timing, for the speed benchmarks: a timestamp, the seconds between two
# (3 decimals), the least of some numbers, and a ratio (3 decimals).
now() { date +%s.%N; }
elapsed() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.3f}')" "$1" "$2"; }
min() { python3 -c "import sys; print(min(float(x) for x in sys.argv[1:]))" "$@"; }
ratio() { python3 -c "import sys; print(f'{float(sys.argv[1]) / float(sys.argv[2]):.3f}')" "$1" "$2"; }

apt_updated=0
apt_update() {
    if [ "$apt_updated" = 0 ]; then
        say "apt-get update"
        as_root apt-get update -qq
        apt_updated=1
    fi
}

apt_install() {
    apt_update
    say "installing $*"
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# need_commands CMD:PACKAGE... installs the package of each missing command.
need_commands() {
    local pair missing=()
    for pair in "$@"; do
        command -v "${pair%%:*}" >/dev/null || missing+=("${pair#*:}")
    done
    [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
}

# Adds deb-src twins of the machine's deb sources (deb822 or one-line style).
add_deb_src() {
    if [ -f /etc/apt/sources.list.d/debian.sources ]; then
        say "adding /etc/apt/sources.list.d/cleave-bench-src.sources"
        sed 's/^Types:.*/Types: deb-src/' /etc/apt/sources.list.d/debian.sources |
            as_root tee /etc/apt/sources.list.d/cleave-bench-src.sources >/dev/null
    elif grep -qs '^deb ' /etc/apt/sources.list; then
        say "adding /etc/apt/sources.list.d/cleave-bench-src.list"
        sed -n 's/^deb /deb-src /p' /etc/apt/sources.list |
            as_root tee /etc/apt/sources.list.d/cleave-bench-src.list >/dev/null
    else
        die "no Debian apt source found to derive a deb-src entry from"
    fi
    apt_updated=0
    apt_update
}

announced=""
# fetch_source PACKAGE: `apt-get source PACKAGE` into $workdir unless a
# PACKAGE-* directory is there already; sets `source_dir` to it.  Adds a
# deb-src entry only when apt-get cannot find the source without one.
fetch_source() {
    local pkg=$1
    source_dir=$(find "$workdir" -mindepth 1 -maxdepth 1 -type d -name "$pkg-[0-9]*" | sort | head -n 1)
    if [ -z "$source_dir" ]; then
        if ! apt-get source --print-uris "$pkg" >/dev/null 2>&1; then
            apt_update
            apt-get source --print-uris "$pkg" >/dev/null 2>&1 || add_deb_src
        fi
        say "apt-get source $pkg into $workdir"
        (cd "$workdir" && apt-get source -qq "$pkg" >/dev/null 2>&1) || die "apt-get source $pkg failed"
        source_dir=$(find "$workdir" -mindepth 1 -maxdepth 1 -type d -name "$pkg-[0-9]*" | sort | head -n 1)
        [ -n "$source_dir" ] || die "apt-get source $pkg left no $pkg-<version> directory in $workdir"
    fi
    case " $announced " in
        *" $pkg "*) ;;
        *) say "$pkg source: $source_dir"; announced="$announced $pkg" ;;
    esac
}

# pristine_source PACKAGE: a tree of PACKAGE as `apt-get source` unpacks it,
# never built in: extracted again from the .dsc that fetch_source left in
# $workdir, into $workdir/pristine/.  Sets `pristine_dir`.
pristine_source() {
    local pkg=$1 dsc
    fetch_source "$pkg"
    pristine_dir="$workdir/pristine/$(basename "$source_dir")"
    [ -d "$pristine_dir" ] && return 0
    dsc=$(find "$workdir" -mindepth 1 -maxdepth 1 -name "${pkg}_*.dsc" | sort | tail -n 1)
    [ -n "$dsc" ] || die "no ${pkg}_*.dsc in $workdir to unpack a pristine tree from"
    mkdir -p "$workdir/pristine"
    say "unpacking a pristine $pkg into $pristine_dir"
    # apt-get source checked the files against the archive already.
    dpkg-source --no-check -x "$dsc" "$pristine_dir" >/dev/null 2>&1 ||
        { rm -rf "$pristine_dir"; die "dpkg-source -x $dsc failed"; }
}

# bash_build: Bash fetched into $workdir and built there under bear
# (./configure --without-bash-malloc; make -j2), unless its compile
# database exists already.  Sets `bash_dir`, which holds
# compile_commands.json (C compiles only: Bash has no other).  The log goes
# to $workdir/bash-build.log.
bash_build() {
    need_commands bear:bear gcc:gcc make:make dpkg-source:dpkg-dev
    fetch_source bash
    bash_dir=$source_dir
    [ -s "$bash_dir/compile_commands.json" ] && return 0
    say "building Bash under bear (log: $workdir/bash-build.log)"
    if ! (cd "$bash_dir" && ./configure --without-bash-malloc &&
          bear --output "$bash_dir/compile_commands.json" -- make -j2) \
          >"$workdir/bash-build.log" 2>&1; then
        rm -f "$bash_dir/compile_commands.json"
        die "the Bash build failed, see $workdir/bash-build.log"
    fi
    [ -s "$bash_dir/compile_commands.json" ] || die "bear recorded no compile commands for Bash"
}

# lua_build: Lua built the Debian way under bear, by lua_accuracy.sh
# (--gcc-only) unless its C-only database exists already.  Sets `lua_dir`
# (the source) and `lua_db_dir` (the directory of compile_commands.json).
lua_build() {
    lua_db_dir="$workdir/cdb"
    if [ ! -s "$lua_db_dir/compile_commands.json" ]; then
        say "building Lua with lua_accuracy.sh --gcc-only"
        bash "$(dirname "${BASH_SOURCE[0]}")/lua_accuracy.sh" --workdir "$workdir" --gcc-only ||
            die "lua_accuracy.sh could not build Lua"
    fi
    fetch_source lua5.4
    lua_dir=$source_dir
}
