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

# need_packages PACKAGE...: installs those of the packages not installed
# (build dependencies that are libraries, not commands).
need_packages() {
    local pkg missing=()
    for pkg in "$@"; do
        dpkg-query -W -f '${Status}' "$pkg" 2>/dev/null | grep -q 'ok installed' || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] || apt_install "${missing[@]}"
}

# Trees and graphs given on the command line, by project name:
# `--tree NAME=DIR` (a tree built already: planned where it is, never built
# or written to) and `--graph NAME=FILE` (a graph `cleave scan` wrote: the
# plan starts from it, for iterating; published figures come from a scan).
declare -A given_tree=() given_graph=()

# given OPTION SPEC NAME...: records SPEC (NAME=PATH) of --tree or --graph,
# for one of the NAMEs the script knows.
given() {
    local option=$1 spec=$2 name path
    shift 2
    name=${spec%%=*}
    path=${spec#*=}
    if [ "$name" = "$spec" ] || [ -z "$path" ]; then
        die "$option needs NAME=PATH, got '$spec'"
    fi
    case " $* " in
        *" $name "*) ;;
        *) die "$option $spec: unknown project '$name' (known: $*)" ;;
    esac
    [ -e "$path" ] || die "$option $spec: no such file or directory"
    path=$(cd "$(dirname "$path")" && pwd)/$(basename "$path")
    if [ "$option" = --tree ]; then given_tree[$name]=$path; else given_graph[$name]=$path; fi
}

# debian_build [--in SUBDIR] NAME PACKAGE DEPENDENCIES PREPARE [MAKE
# ARGUMENTS...]: sets `NAME_dir` to NAME's built tree, which holds
# compile_commands.json: the --tree given for NAME, else PACKAGE fetched
# into $workdir and built there unless its database exists already:
# DEPENDENCIES (packages, one string) installed, `sh -c PREPARE` run at the
# top of the source (configure), then `bear -- make -j2 MAKE ARGUMENTS` in
# SUBDIR of it (default: the top), which is then the tree planned (Vim's
# src/: a --tree given for NAME names that folder too).  The log goes to
# $workdir/NAME-build.log.
debian_build() {
    local subdir=. where="" log tree_dir
    if [ "$1" = --in ]; then subdir=$2; shift 2; fi
    local name=$1 pkg=$2 deps=$3 prepare=$4
    shift 4
    if [ -n "${given_tree[$name]:-}" ]; then
        tree_dir=${given_tree[$name]}
        [ -s "$tree_dir/compile_commands.json" ] ||
            die "--tree $name=$tree_dir: no compile_commands.json there (build it under bear first)"
        say "$name: the tree built in $tree_dir"
        printf -v "${name}_dir" %s "$tree_dir"
        return 0
    fi
    need_commands bear:bear gcc:gcc make:make dpkg-source:dpkg-dev
    fetch_source "$pkg"
    tree_dir=$source_dir
    [ "$subdir" = . ] || { tree_dir="$source_dir/$subdir"; where=" in $subdir"; }
    printf -v "${name}_dir" %s "$tree_dir"
    [ -s "$tree_dir/compile_commands.json" ] && return 0
    # shellcheck disable=SC2086 # a list of package names
    [ -z "$deps" ] || need_packages $deps
    log="$workdir/$name-build.log"
    say "building $name under bear: $prepare, then make -j2${*:+ $*}$where (log: $log)"
    if ! (cd "$source_dir" && sh -c "$prepare" && cd "$tree_dir" &&
          bear --output "$tree_dir/compile_commands.json" -- make -j2 "$@") >"$log" 2>&1; then
        rm -f "$tree_dir/compile_commands.json"
        die "the $name build failed, see $log"
    fi
    [ -s "$tree_dir/compile_commands.json" ] || die "bear recorded no compile commands for $name"
}

# The builds of the real code the benchmarks plan.  Each sets NAME_dir.
# Bash: ./configure --without-bash-malloc (C compiles only).
bash_build() {
    debian_build bash bash "" "./configure --without-bash-malloc"
}

# SQLite 3.40 as ../shared/README.md builds it: the library alone from the
# separate sources (src/ is one flat folder; 105 units).  tclsh generates
# headers even with --disable-tcl.
sqlite_build() {
    debian_build sqlite sqlite3 tcl "./configure --disable-amalgamation --disable-tcl" libsqlite3.la
}

# nginx 1.22 configured as issue 14 tried it (174 units).
nginx_build() {
    debian_build nginx nginx "libpcre2-dev libssl-dev zlib1g-dev" \
        "./configure --with-http_ssl_module --with-http_v2_module --with-stream --with-mail \
         --with-http_realip_module --with-http_sub_module --with-http_dav_module \
         --with-http_gunzip_module --with-http_auth_request_module --with-threads"
}

# PostgreSQL 15's backend (805 units): its generated headers first, then
# the backend alone under bear; ICU left out (its headers are one more
# dependency and the backend builds without them).  The upstream tarball
# ships the generated parsers, so no bison or flex.
postgresql_build() {
    debian_build postgresql postgresql-15 "libreadline-dev zlib1g-dev" \
        "./configure --without-icu && make -C src/backend submake-generated-headers" -C src/backend
}

# GNU make 4.3: Debian's make-dfsg source has no configure script (its
# package runs autoreconf too).
make_build() {
    debian_build make make-dfsg "autoconf automake autopoint gettext pkg-config" \
        "autoreconf -fi && ./configure"
}

# Vim 9.0 with every feature a terminal build has (the "huge" set), no GUI,
# X or NetBeans; its terminal library (-ltinfo) is its one build
# dependency.  The top-level configure runs src/'s; the tree planned is
# src/ (134 units), where make runs.
vim_build() {
    debian_build --in src vim vim libncurses-dev \
        "./configure --with-features=huge --disable-gui --without-x --disable-netbeans"
}

# OpenSSH 9.2 without PAM or SELinux (240 units).  Debian's patches change
# configure.ac and not configure, which refuses to run when configure.ac is
# newer ("run autoreconf"): `touch configure` keeps the upstream script (the
# options those patches add are then not offered).
openssh_build() {
    debian_build openssh openssh "libssl-dev zlib1g-dev" \
        "touch configure && ./configure --without-pam --without-selinux"
}

# Redis 7.0 with libc's malloc (jemalloc, vendored, is a long build of no
# interest here), no systemd or TLS: the server, its tools and the vendored
# hiredis, Lua and linenoise (140 units; src/ is one flat folder).
redis_build() {
    debian_build redis redis "" true MALLOC=libc USE_SYSTEMD=no BUILD_TLS=no
}

# curl 7.88 without the optional protocol and TLS libraries (203 units):
# lib/ is libcurl, one flat folder with vtls/ and vauth/ below it; src/ the
# curl tool.
curl_build() {
    debian_build curl curl zlib1g-dev \
        "./configure --without-ssl --without-libpsl --without-brotli --without-zstd \
         --without-libidn2 --without-nghttp2 --disable-ldap --without-librtmp --without-libssh2"
}

# tmux 3.3 (143 units, flat: 68 cmd-*.c commands beside the server,
# windows, screens and the terminal).
tmux_build() {
    debian_build tmux tmux "libevent-dev libncurses-dev" ./configure
}

# lua_build: Lua built the Debian way under bear, by lua_accuracy.sh
# (--gcc-only) unless its C-only database exists already.  Sets `lua_dir`
# (the source) and `lua_db_dir` (the directory of compile_commands.json).
# A --tree given for lua is the source; its database is in it, or in cdb/
# beside it, where lua_accuracy.sh leaves the C-only one.
lua_build() {
    if [ -n "${given_tree[lua]:-}" ]; then
        lua_dir=${given_tree[lua]}
        lua_db_dir=$lua_dir
        [ -s "$lua_db_dir/compile_commands.json" ] || lua_db_dir="$(dirname "$lua_dir")/cdb"
        [ -s "$lua_db_dir/compile_commands.json" ] ||
            die "--tree lua=$lua_dir: no compile_commands.json in it or in $lua_db_dir"
        say "lua: the tree built in $lua_dir (database in $lua_db_dir)"
        return 0
    fi
    lua_db_dir="$workdir/cdb"
    if [ ! -s "$lua_db_dir/compile_commands.json" ]; then
        say "building Lua with lua_accuracy.sh --gcc-only"
        bash "$(dirname "${BASH_SOURCE[0]}")/lua_accuracy.sh" --workdir "$workdir" --gcc-only ||
            die "lua_accuracy.sh could not build Lua"
    fi
    fetch_source lua5.4
    lua_dir=$source_dir
}

# Planning and scoring, into $report, with `cleave`, the binary (set by the
# sourcing script), and `plan_options`, extra `cleave plan` options.
#
# plan_setup REPORT: the binary checked and its path made absolute, python3,
# the work directory made (absolute too), `report` set to $workdir/REPORT.
plan_setup() {
    [ -x "$cleave" ] || die "no cleave binary at $cleave (build it, or pass --cleave PATH)"
    cleave=$(cd "$(dirname "$cleave")" && pwd)/$(basename "$cleave")
    need_commands python3:python3
    mkdir -p "$workdir"
    workdir=$(cd "$workdir" && pwd)
    report="$workdir/$1"
}
#
# plan NAME PATH [DBDIR]: `cleave plan PATH [-p DBDIR] --no-cache` (cold: no
# cache read or written, nothing written into the tree), or from the graph
# given with --graph NAME=FILE, into $workdir/NAME-plan; appends the
# command, the summary, cleave's closing scan line, the warning count and
# the wall time to the report.
plan_options=()
plan() {
    local name=$1 out="$workdir/$1-plan" start end input what cmdline
    input=("$2" --no-cache)
    [ -z "${3:-}" ] || input+=(-p "$3")
    what="wall, scan included"
    if [ -n "${given_graph[$name]:-}" ]; then
        input=(--graph "${given_graph[$name]}")
        what="wall, from a scanned graph"
    fi
    cmdline="cleave plan ${input[*]}${plan_options[*]:+ ${plan_options[*]}}"
    rm -rf "$out"
    say "$cmdline -o $out"
    start=$(now)
    "$cleave" plan "${input[@]}" "${plan_options[@]}" -o "$out" \
        >"$workdir/$name-plan.stdout" 2>"$workdir/$name-plan.stderr" ||
        { cat "$workdir/$name-plan.stderr" >&2; die "$cmdline failed"; }
    end=$(now)
    {
        echo "== $name: $cmdline"
        cat "$workdir/$name-plan.stdout"
        grep -E '^cleave: [0-9]+ units' "$workdir/$name-plan.stderr" || true
        echo "cleave warnings: $(grep -c '^cleave: warning' "$workdir/$name-plan.stderr" || true)"
        echo "cleave plan time: $(elapsed "$start" "$end") s ($what)"
    } >>"$report"
}

# score NAME [plan_score.py options]: scores $workdir/NAME-plan/plan.json
# into the report; a finding (exit 1) sets `status` to 1.
status=0
score() {
    local name=$1 rc=0
    shift
    python3 "$(dirname "${BASH_SOURCE[0]}")/plan_score.py" --plan "$workdir/$name-plan/plan.json" \
        --out "$workdir/$name-plan/score" "$@" >>"$report" || rc=$?
    [ "$rc" -le 1 ] || die "scoring the $name plan failed"
    [ "$rc" = 0 ] || status=1
    echo >>"$report"
}
