#!/bin/sh
# layers_test.sh SOURCE_DIR WORK - tests/e2e/layers.py on the source tree
# (no violation), then on a small tree that breaks each rule once: an
# include from a higher stage, one between stages of the same rank, a
# header named without its stage, libclang outside the front end and
# Graphviz outside the DOT reporter; each must be reported.
set -u
SRC=$1
WORK=$2
LAYERS="$SRC/tests/e2e/layers.py"
fail() { echo "layers_test: $*" >&2; exit 1; }

python3 "$LAYERS" "$SRC" || fail "the source tree breaks the include rules"

rm -rf "$WORK" && mkdir -p "$WORK/analyzer/util" "$WORK/analyzer/graph" "$WORK/analyzer/check" \
    "$WORK/analyzer/compare" "$WORK/analyzer/plan" "$WORK/reports" || fail "cannot make $WORK"
cd "$WORK" || exit 1
echo '#include "plan/plan.h"' > analyzer/graph/graph.h       # graph includes plan: up
echo '#include "util/common.h"' > analyzer/plan/plan.h        # fine: down
echo '' > analyzer/util/common.h
echo '#include "compare/compare.h"' > analyzer/check/check.h  # same rank, other stage
echo '#include "common.h"' > analyzer/compare/compare.h       # no stage in the path
echo '#include <clang-c/Index.h>' > analyzer/plan/cluster.c   # libclang outside frontend
echo '#include <graphviz/cgraph.h>' > reports/view.c          # Graphviz outside dot*.c
echo '#include <graphviz/cgraph.h>' > reports/dot_x.c         # fine
out=$(python3 "$LAYERS" "$WORK"); rc=$?
echo "$out"
[ $rc -eq 1 ] || fail "expected exit 1 on the broken tree, got $rc"
for want in 'analyzer/graph/graph.h:1: graph includes "plan/plan.h"' \
            'analyzer/check/check.h:1: check includes "compare/compare.h"' \
            'analyzer/compare/compare.h:1: "common.h" does not name its stage' \
            'analyzer/plan/cluster.c:1: includes <clang-c/Index.h>' \
            'reports/view.c:1: includes <graphviz/cgraph.h>' \
            'layers: 8 files, 5 violations'; do
    echo "$out" | grep -qF "$want" || fail "missing: $want"
done
echo "layers_test: ok"
