# zsh -f zsh_complete.zsh FPATH_DIR LINE... - what zsh's completion system
# offers at the end of each LINE, typed into an interactive zsh in a
# pseudo-terminal (zsh/zpty) with compinit and the completion functions of
# FPATH_DIR: for each LINE, the matches one per line, sorted, then a line
# holding only \x1e.  A wrapper around compadd prints every match it is
# given, so what zsh would list is captured whatever it shows on screen.
# Used by tests/e2e/completion.py; runs in the current directory (file
# completion lists it).  Exits 2 when zsh/zpty is missing, 3 when the shell
# under test goes away.
zmodload zsh/zpty || exit 2
dir=$1
shift
zpty z zsh -f -i || exit 2
zpty -w z "PS2='' RPS1='' LISTMAX=100000; unsetopt zle_bracketed_paste 2>/dev/null"
zpty -w z "fpath=(${(q)dir} \$fpath); autoload -U compinit; compinit -u -D"
zpty -w z 'compadd() {
  if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi
  local -a hits; builtin compadd -A hits "$@"
  local h; for h in $hits; do print -r -- "MATCH:$h"; done
  builtin compadd "$@"
}'
zpty -w z "zstyle ':completion:*' list-prompt ''; zstyle ':completion:*' menu no"
# a line when the line editor starts reading: keys typed before it would
# reach the terminal's own line editing, not the completion
zpty -w z 'zle-line-init() { print -r -- ZLE$((7*11)) }; zle -N zle-line-init'
zpty -w z 'bindkey "^I" complete-word; print READY$((1+1))'
local out line
# READY2, DONE4 and ZLE77 are the answers, not the echo of the commands.
# zpty -r reads a line; it blocks, and the caller's timeout ends a shell
# that never answers.  (A pattern given to zpty -r is tried after every
# byte: slower.)
until [[ $line == *READY2* ]]; do zpty -r z line || exit 3; done
until [[ $line == *ZLE77* ]]; do zpty -r z line || exit 3; done
for query in "$@"; do
  zpty -w z "$query"$'\t\C-u print DONE$((2+2))'
  out=
  until [[ $line == *DONE4* ]]; do
    zpty -r z line || exit 3
    out+=$line
  done
  until [[ $line == *ZLE77* ]]; do zpty -r z line || exit 3; done
  print -r -- "$out" | tr -d '\r' | grep -a 'MATCH:' | sed 's/^.*MATCH://' | sort -u
  print -r -- $'\x1e'
done
zpty -d z
