# bash completion for cleave(1)                            -*- shell-script -*-
#
# Installed as <datadir>/bash-completion/completions/cleave, where the
# bash-completion package loads it on the first `cleave <TAB>`; without that
# package, `source` it from ~/.bashrc.  It needs nothing from bash-completion.
#
# The tables below follow `cleave --help` and `cleave <command> --help`:
# tests/e2e/completion.py (ctest `completion`) fails when a command, an
# option, a --format value or the kind of file an option takes differs.

_cleave_commands='scan merge plan graph compare init check report explain'

# _cleave_options COMMAND: the options of COMMAND's --help, in its order.
_cleave_options() {
    case $1 in
    scan) echo '-p --build-dir -o --output -j --jobs --cache-dir --no-cache --allow-dir
                --unit-timeout --shard -q --quiet -h --help' ;;
    merge) echo '-o --output -j --jobs --cache-dir --no-cache --unit-timeout -q --quiet -h --help' ;;
    plan) echo '--graph -p --build-dir --granularity --services --resolution --config --rate
                --no-render --hide-may-calls --no-state --min-sites --no-fit --no-report -o --output
                --cache-dir --no-cache --allow-dir --unit-timeout -q --quiet -h --help' ;;
    graph) echo '--graph -p --build-dir --plan --focus --depth --collapse --hide-may-calls
                 --min-sites --no-state --no-fit --format -o --output --cache-dir --no-cache --allow-dir
                 --unit-timeout -q --quiet -h --help' ;;
    compare) echo '-f --format -o --output -h --help' ;;
    init) echo '-p --build-dir -o --output --force --cache-dir --no-cache --allow-dir
                --unit-timeout -q --quiet -h --help' ;;
    check) echo '--graph -p --build-dir --plan --config --baseline --update-baseline
                 --strict-baseline --min-coverage --format -o --output --cache-dir --no-cache
                 --allow-dir --unit-timeout -q --quiet -h --help' ;;
    report) echo '--graph -o --output --hide-may-calls --no-state --min-sites --no-fit -h --help' ;;
    explain) echo '--plan --graph -h --help' ;;
    esac
}

# Sets COMPREPLY to the files (filter: a glob such as '*.json', or empty for
# all) and directories starting with cur; `-o filenames` quotes them and
# marks directories.
_cleave_files() {
    local IFS=$'\n'
    compopt -o filenames 2>/dev/null
    if [[ -n $1 ]]; then
        COMPREPLY=($(compgen -d -- "$cur") $(compgen -f -X "!$1" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}

_cleave_dirs() {
    local IFS=$'\n'
    compopt -o filenames 2>/dev/null
    COMPREPLY=($(compgen -d -- "$cur"))
}

_cleave() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    # --opt=value: bash splits the word at '=' (COMP_WORDBREAKS)
    if [[ $cur == = ]]; then
        cur=
    elif [[ $prev == = && $COMP_CWORD -ge 2 ]]; then
        prev=${COMP_WORDS[COMP_CWORD - 2]}
    fi
    COMPREPLY=()

    local cmd= i
    for ((i = 1; i < COMP_CWORD; i++)); do
        case ${COMP_WORDS[i]} in
        -*) ;;
        *) cmd=${COMP_WORDS[i]}; break ;;
        esac
    done
    if [[ -z $cmd ]]; then
        if [[ $cur == -* ]]; then
            COMPREPLY=($(compgen -W '-h --help -V --version' -- "$cur"))
        else
            COMPREPLY=($(compgen -W "$_cleave_commands" -- "$cur"))
        fi
        return
    fi

    # the value of the option before the cursor
    case $cmd:$prev in
    *:-p | *:--build-dir | *:--cache-dir | *:--allow-dir | plan:-o | plan:--output | init:-o | \
        init:--output)
        _cleave_dirs
        return ;;
    *:--graph | *:--plan | *:--config | *:--baseline | *:--update-baseline)
        _cleave_files '*.json'
        return ;;
    *:-o | *:--output)
        _cleave_files ''
        return ;;
    plan:--granularity)
        COMPREPLY=($(compgen -W 'service function' -- "$cur"))
        return ;;
    graph:--collapse)
        COMPREPLY=($(compgen -W 'function file dir service' -- "$cur"))
        return ;;
    graph:--format)
        COMPREPLY=($(compgen -W 'dot svg' -- "$cur"))
        return ;;
    compare:-f | compare:--format)
        COMPREPLY=($(compgen -W 'text json' -- "$cur"))
        return ;;
    check:--format)
        COMPREPLY=($(compgen -W 'text json sarif junit github markdown html' -- "$cur"))
        return ;;
    *:-j | *:--jobs | *:--shard | *:--services | *:--resolution | *:--rate | *:--focus | \
        *:--depth | *:--min-coverage | *:--min-sites | *:--unit-timeout)
        return ;; # a number or a name: nothing to offer
    esac

    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$(_cleave_options "$cmd")" -- "$cur"))
        return
    fi
    case $cmd in
    merge | compare) _cleave_files '' ;; # FACTS..., or A B
    scan | plan | graph | init | check) _cleave_dirs ;; # PATH
    report) _cleave_files '*.json' ;; # PLAN
    esac # explain's NAME: nothing to offer
} &&
    complete -F _cleave cleave
