#!/usr/bin/env bash
# arch_plan.sh - the architecture `cleave plan` proposes for real code nobody
# here tuned it on (issue 14): nginx 1.22, PostgreSQL 15's backend and GNU
# make 4.3, with the default options; and, as trials with no target of
# their own, Vim 9.0's src/, OpenSSH 9.2, Redis 7.0, curl 7.88 and tmux 3.3.
#
# Steps, each skipped when its result is already in the work directory:
#   1. installs what it needs with apt-get (bear, gcc, make, dpkg-dev,
#      python3 and each project's build dependencies), adding a deb-src
#      entry only when `apt-get source` cannot work without one;
#   2. `apt-get source nginx postgresql-15 make-dfsg vim openssh redis curl
#      tmux` into the
#      work directory and builds each there under bear (common.sh: nginx
#      configured with the modules issue 14 lists; PostgreSQL's generated
#      headers, then `bear -- make -j2 -C src/backend`; make after
#      autoreconf; Vim's huge terminal build, made and planned in src/;
#      OpenSSH without PAM or SELinux; Redis with libc's malloc; curl
#      without optional libraries; tmux as configure finds it);
#   3. `cleave plan <tree> --no-cache --no-render -o NAME-plan` (cold, the
#      scan included; diagrams written as DOT, not rendered), timed;
#   4. plan_score.py reports the components by kind, ICP, cross-service sites
#      and components on cycles over direct + field calls and over all calls,
#      the library layer and where the layers issue 14 names landed (nginx's
#      src/core pool, string, hash, rbtree, array, list and queue files;
#      PostgreSQL's error reporting, memory contexts, fmgr, src/common and
#      src/port), the plan's notes, the verdicts, and the spread of trace
#      depths and fitness costs across components.
#
# --tree NAME=DIR plans a tree built already instead (nothing is built or
# written there); --graph NAME=FILE starts from a graph `cleave scan` wrote,
# for iterating (the published figures come from scans).
#
# Exit status: 0 when nginx's ICP over direct + field calls is below
# --max-icp, its components' costs differ and every named layer is wholly in
# library components (issue 14's targets), 1 when not, 2 when the benchmark
# itself could not run; the trials are reported, never judged.  The
# work directory (default bench/work) is not part of the repo.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(dirname "$here")
workdir="$here/work"
cleave="$repo/build/cleave"
max_icp=0.35
projects=(nginx postgresql make vim openssh redis curl tmux)
only="${projects[*]}"
bench=arch_plan
. "$here/common.sh"
plan_options=(--no-render)

# The layers issue 14 expects linked in, per project (no blank in a path).
declare -A layers=(
    [nginx]="src/core/ngx_palloc.c src/core/ngx_string.c src/core/ngx_hash.c src/core/ngx_rbtree.c
             src/core/ngx_array.c src/core/ngx_list.c src/core/ngx_queue.c"
    [postgresql]="src/backend/utils/error src/backend/utils/mmgr src/backend/utils/fmgr
                  src/common src/port"
    [make]=""
    [vim]=""
    [openssh]=""
    [redis]=""
    [curl]=""
    [tmux]=""
)

usage() {
    cat <<EOF
usage: bench/arch_plan.sh [--workdir DIR] [--cleave PATH] [--only "nginx postgresql make ..."]
                          [--max-icp 0.35] [--tree NAME=DIR]... [--graph NAME=FILE]...
  --workdir DIR      where the projects are fetched, built and planned (default: bench/work)
  --cleave PATH      the cleave binary (default: build/cleave)
  --only LIST        the projects to plan, of nginx, postgresql, make, vim, openssh, redis,
                     curl and tmux (default: all; the last five are trials, with no target)
  --max-icp X        nginx's ICP over direct + field calls must be below X (default: 0.35)
  --tree NAME=DIR    plan this tree, built already (compile_commands.json in it; Vim's src/)
  --graph NAME=FILE  plan from a graph cleave scan wrote (for iterating)
EOF
}

while [ $# -gt 0 ]; do
    case "$1" in
        --workdir) [ $# -ge 2 ] || die "--workdir needs a directory"; workdir=$2; shift 2 ;;
        --cleave) [ $# -ge 2 ] || die "--cleave needs a path"; cleave=$2; shift 2 ;;
        --only)
            [ $# -ge 2 ] || die "--only needs a list"
            for name in $2; do
                case " ${projects[*]} " in *" $name "*) ;; *) die "--only: unknown project '$name'" ;; esac
            done
            only=$2; shift 2 ;;
        --max-icp) [ $# -ge 2 ] || die "--max-icp needs a number"; max_icp=$2; shift 2 ;;
        --tree) [ $# -ge 2 ] || die "--tree needs NAME=DIR"; given --tree "$2" "${projects[@]}"; shift 2 ;;
        --graph) [ $# -ge 2 ] || die "--graph needs NAME=FILE"; given --graph "$2" "${projects[@]}"; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
done

plan_setup arch-plan-report.txt

# --- 2. the builds -------------------------------------------------------
for name in $only; do
    "${name}_build"
done

# --- 3, 4. plans and figures ----------------------------------------------
: >"$report"
for name in $only; do
    dir_var="${name}_dir"
    plan "$name" "${!dir_var}"
    targets=()
    for prefix in ${layers[$name]}; do
        targets+=(--layer "$prefix")
    done
    [ ${#targets[@]} -eq 0 ] || targets+=(--require-linked)
    [ "$name" != nginx ] || targets+=(--max-known-icp "$max_icp" --costs-differ)
    score "$name" "${targets[@]}"
done

cat "$report"
say "report saved in $report"
exit "$status"
