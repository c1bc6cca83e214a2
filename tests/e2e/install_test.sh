#!/bin/sh
# install_test.sh BUILD_DIR SOURCE_DIR WORK_DIR - `cmake --install` and the
# uninstall target (what `make install` and `make uninstall` run), staged
# with DESTDIR under WORK_DIR, never into the system:
#
# - under prefix /usr/local, the files are exactly: bin/cleave, a .gz man
#   page for each man/* page, the bash completion, the zsh completion in
#   share/zsh/site-functions, the schemas docs/*.schema.json in
#   share/cleave/schemas, README.md and every file of docs/ in
#   share/doc/cleave; the installed program runs and its man pages render
#   without a groff warning;
# - the uninstall target removes every one of them and cleave's own
#   directories, and leaves the shared ones (bin/, man1/...);
# - under prefix /usr (a package's), the zsh completion goes to
#   share/zsh/vendor-completions, where Debian's zsh looks.
#
# cmake --install writes BUILD_DIR/install_manifest.txt, which the deb
# test's cpack writes too: ctest runs the two one at a time (RESOURCE_LOCK).
set -u
BUILD=$1 SRC=$2 WORK=$3
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
rm -rf "$WORK" && mkdir -p "$WORK" || exit 1

# expected PREFIX_REL ZSHDIR: the sorted file list of an install
expected() {
    p=$1
    {
        echo "$p/bin/cleave"
        for m in "$SRC"/man/*.[1-8]; do
            n=$(basename "$m")
            echo "$p/share/man/man${n##*.}/$n.gz"
        done
        echo "$p/share/bash-completion/completions/cleave"
        echo "$p/$2/_cleave"
        for s in "$SRC"/docs/*.schema.json; do echo "$p/share/cleave/schemas/$(basename "$s")"; done
        echo "$p/share/doc/cleave/README.md"
        (cd "$SRC/docs" && find . -type f) | sed "s|^\./|$p/share/doc/cleave/docs/|"
    } | LC_ALL=C sort
}

# install PREFIX ZSHDIR NAME
install_one() {
    prefix=$1 zshdir=$2 root=$WORK/$3
    DESTDIR=$root cmake --install "$BUILD" --prefix "$prefix" >"$WORK/$3.log" 2>&1 ||
        { fail "cmake --install --prefix $prefix"; cat "$WORK/$3.log"; return; }
    (cd "$root" && find . -type f -o -type l) | sed 's|^\.||' | LC_ALL=C sort >"$WORK/$3.got"
    expected "$prefix" "$zshdir" >"$WORK/$3.want"
    diff -u "$WORK/$3.want" "$WORK/$3.got" >"$WORK/$3.diff" ||
        { fail "prefix $prefix: installed files differ from the expected (- expected, + installed)"; cat "$WORK/$3.diff"; }
    n=$(wc -l <"$WORK/$3.got")
    [ "$n" -gt 20 ] || fail "prefix $prefix: only $n files installed"
    grep -qx "$prefix/bin/cleave" "$BUILD/install_manifest.txt" ||
        fail "prefix $prefix: the install manifest does not list bin/cleave"

    "$root$prefix/bin/cleave" --version >"$WORK/$3.version" 2>&1 ||
        { fail "the installed cleave --version"; cat "$WORK/$3.version"; }
    head -1 "$WORK/$3.version" | grep -Eq '^cleave [0-9]+\.[0-9]+\.[0-9]+ \(commit [^ )]+\)$' ||
        { fail "cleave --version does not name the version and commit"; cat "$WORK/$3.version"; }
    for m in "$root$prefix"/share/man/man*/*.gz; do
        gzip -dc "$m" | groff -man -Tutf8 -ww -z >"$WORK/groff.err" 2>&1
        [ $? = 0 ] && [ ! -s "$WORK/groff.err" ] ||
            { fail "$(basename "$m") does not render"; cat "$WORK/groff.err"; }
    done

    DESTDIR=$root cmake --build "$BUILD" --target uninstall >"$WORK/$3.uninstall.log" 2>&1 ||
        { fail "the uninstall target"; cat "$WORK/$3.uninstall.log"; return; }
    left=$(cd "$root" && find . -type f -o -type l)
    [ -z "$left" ] || fail "prefix $prefix: uninstall left files: $left"
    for d in share/cleave share/doc/cleave; do
        [ ! -e "$root$prefix/$d" ] || fail "prefix $prefix: uninstall left the directory $d"
    done
    [ -d "$root$prefix/bin" ] || fail "prefix $prefix: uninstall removed the shared bin/"
}

install_one /usr/local share/zsh/site-functions local
install_one /usr share/zsh/vendor-completions usr

[ "$fails" = 0 ] && echo "install: two prefixes installed, run and uninstalled"
[ "$fails" = 0 ]
