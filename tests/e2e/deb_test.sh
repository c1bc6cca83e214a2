#!/bin/sh
# deb_test.sh BUILD_DIR SOURCE_DIR WORK_DIR LIBCLANG RESOURCE_DIR - the
# Debian package (cmake/CleavePackage.cmake), built by cpack from the
# build under test, unpacked into a throwaway root, never installed:
#
# - its Depends names exactly the packages that hold the libraries the
#   program links (its NEEDED entries, found with ldd, then dpkg -S), the libclang it dlopen()s (LIBCLANG)
#   and clang's builtin headers (RESOURCE_DIR/include/stddef.h);
# - it holds the program, every man page, both completions (zsh's where
#   Debian's zsh looks) and the schemas, under /usr;
# - apt-get can install it here (apt-get install --simulate: every
#   dependency resolves);
# - the unpacked cleave finds clang's builtin headers, and `cleave plan`
#   on fixtures/demo writes the plan and its rendered diagrams; its man
#   page renders.
#
# The program of a sanitized build links the sanitizer runtimes, so its
# package depends on them too (libasan8, libubsan1): the same rule, the
# same check.  `make deb` is the Release package; its Depends on Debian 12
# is quoted in the README.  Skipped (exit 77) on a system without dpkg.
set -u
BUILD=$1 SRC=$2 WORK=$3 LIBCLANG=$4 RESOURCE=$5
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
command -v dpkg-deb >/dev/null || { echo "SKIP: no dpkg-deb: not a Debian system"; exit 77; }
for t in dpkg-shlibdeps file apt-get objdump; do
    command -v $t >/dev/null ||
        { echo "FAIL: no $t: install dpkg-dev, file and apt (make deps)"; exit 1; }
done
rm -rf "$WORK" && mkdir -p "$WORK" || exit 1

cpack --config "$BUILD/CPackConfig.cmake" -B "$WORK" >"$WORK/cpack.log" 2>&1 ||
    { echo "FAIL: cpack"; cat "$WORK/cpack.log"; exit 1; }
deb=$(ls "$WORK"/cleave_*.deb 2>/dev/null)
[ -f "$deb" ] || { echo "FAIL: cpack wrote no cleave_*.deb"; cat "$WORK/cpack.log"; exit 1; }

# the packages that hold a file (the file, else its real path)
owner() {
    { dpkg -S "$1" 2>/dev/null || dpkg -S "$(readlink -f "$1")" 2>/dev/null; } |
        head -1 | sed 's/[:,].*//'
}
{
    owner "$LIBCLANG"
    owner "$RESOURCE/include/stddef.h"
    # the libraries the program itself names (NEEDED), where the loader finds them
    ldd "$BUILD/cleave" >"$WORK/ldd"
    objdump -p "$BUILD/cleave" | awk '$1 == "NEEDED" {print $2}' | while read -r lib; do
        owner "$(sed -n "s|^[[:space:]]*$lib => \(/[^ ]*\) .*|\1|p" "$WORK/ldd")"
    done
} | LC_ALL=C sort -u >"$WORK/want"
dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed 's/(.*//; s/^ *//; s/ *$//' | grep . |
    LC_ALL=C sort -u >"$WORK/got"
grep -q . "$WORK/want" || fail "no package holds $LIBCLANG (dpkg -S)"
diff -u "$WORK/want" "$WORK/got" >"$WORK/depends.diff" ||
    { fail "Depends differs from the packages of the files cleave uses (- those, + Depends)"; cat "$WORK/depends.diff"; }
for p in $(cat "$WORK/got"); do
    dpkg-query -W "$p" >/dev/null 2>&1 || apt-cache show "$p" >/dev/null 2>&1 ||
        fail "Depends names $p, which is no Debian package"
done

dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$WORK/contents"
for f in /usr/bin/cleave /usr/share/bash-completion/completions/cleave \
         /usr/share/zsh/vendor-completions/_cleave /usr/share/doc/cleave/README.md; do
    grep -qx "$f" "$WORK/contents" || fail "the package lacks $f"
done
for m in "$SRC"/man/*.[1-8]; do
    n=$(basename "$m")
    grep -qx "/usr/share/man/man${n##*.}/$n.gz" "$WORK/contents" || fail "the package lacks the man page $n"
done
for s in "$SRC"/docs/*.schema.json; do
    grep -qx "/usr/share/cleave/schemas/$(basename "$s")" "$WORK/contents" ||
        fail "the package lacks the schema $(basename "$s")"
done
[ "$(dpkg-deb -f "$deb" Package)" = cleave ] || fail "the package is not named cleave"

apt-get install --simulate "$deb" >"$WORK/apt.log" 2>&1 ||
    { fail "apt-get install --simulate $deb"; cat "$WORK/apt.log"; }
grep -Eq '^Inst cleave |cleave is already the newest version' "$WORK/apt.log" ||
    { fail "apt-get would not install cleave"; cat "$WORK/apt.log"; }

root=$WORK/root
dpkg -x "$deb" "$root" || fail "dpkg -x"
"$root/usr/bin/cleave" --version >"$WORK/version" 2>&1 || fail "the packaged cleave --version"
grep -q "^clang builtin headers: /" "$WORK/version" ||
    { fail "the packaged cleave finds no builtin headers"; cat "$WORK/version"; }
(cd "$SRC" && "$root/usr/bin/cleave" plan fixtures/demo -q -o "$WORK/plan" \
    --cache-dir "$WORK/cache") >"$WORK/plan.log" 2>&1 ||
    { fail "the packaged cleave plan fixtures/demo"; cat "$WORK/plan.log"; }
for f in plan.json graph.json services.svg functions.svg; do
    [ -s "$WORK/plan/$f" ] || fail "the packaged cleave plan wrote no $f"
done
grep -Eq '"units_partial":[[:space:]]*0,' "$WORK/plan/plan.json" ||
    fail "the packaged cleave parsed a unit of the demo with errors (builtin headers?)"
gzip -dc "$root/usr/share/man/man1/cleave-plan.1.gz" | groff -man -Tutf8 -ww -z >"$WORK/groff.err" 2>&1
[ $? = 0 ] && [ ! -s "$WORK/groff.err" ] || { fail "the packaged man page does not render"; cat "$WORK/groff.err"; }

[ "$fails" = 0 ] && echo "deb: $(basename "$deb"), Depends: $(dpkg-deb -f "$deb" Depends)"
[ "$fails" = 0 ]
