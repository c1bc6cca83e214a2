#!/bin/sh
# check_e2e.sh CLEAVE SOURCE_DIR WORK_DIR - the CI story of `cleave check`
# on a copy of fixtures/demo: `cleave init`, commit the plan and a rule
# (inventory must not call billing), a change adding that call fails the
# gate at the call's file:line, the fix passes again.  The cache is the
# default one, .cleave-cache beside compile_commands.json (ignored by git, as
# in a CI job that restores it), so init fills it and each check reads it.
set -u
CLEAVE=$1 SRC=$2 WORK=$3
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$WORK" && mkdir -p "$WORK" && cp -r "$SRC/fixtures/demo" "$WORK/repo" || exit 1
cd "$WORK/repo" || exit 1
rm -rf .cleave-cache # a leftover of someone's scan of the fixture
git() { command git -c user.name=ci -c user.email=ci@example.invalid "$@"; }
git init -q . && echo .cleave-cache/ >.git/info/exclude && git add -A &&
    git commit -qm "the monolith" || fail "git"

# adopt: a plan and a starter config, plus one rule, committed
"$CLEAVE" init -q . || fail "cleave init"
[ -f .cleave-cache/CACHEDIR.TAG ] || fail "init kept no cache beside compile_commands.json"
[ -s plan.json ] && [ -s cleave.json ] || fail "init wrote no plan or config"
python3 - <<'PY' || fail "editing cleave.json"
import json
c = json.load(open("cleave.json"))
c["rules"]["forbidden"] = [{"from": "inventory", "to": ["billing"]}]
json.dump(c, open("cleave.json", "w"), indent=2)
PY
git add plan.json cleave.json && git commit -qm "adopt the split plan" || fail "git commit"
"$CLEAVE" check -q . --plan plan.json >out.txt 2>&1 || { cat out.txt; fail "the adopted plan does not pass"; }

# a change that adds a forbidden cross-service call
sed -i 's|^#include "catalog/catalog.h"|#include "billing/billing.h"\n&|' src/inventory/stock.c
sed -i '/^void stock_commit/,/^}/ s|^    it->reserved -= qty;|    if (billing_revenue_cents() < 0)\n        return;\n&|' src/inventory/stock.c
line=$(grep -n 'billing_revenue_cents() < 0' src/inventory/stock.c | cut -d: -f1)
[ -n "$line" ] || fail "the change was not applied"
git commit -qam "inventory peeks at billing" || fail "git commit"
"$CLEAVE" check -q . --plan plan.json >out.txt 2>&1
rc=$?
cat out.txt
[ "$rc" = 1 ] || fail "exit $rc for a forbidden call, want 1"
grep -q "^src/inventory/stock.c:$line:9: error: \[forbidden-dependency\] stock_commit (inventory) calls billing_revenue_cents (billing)" out.txt ||
    fail "no forbidden-dependency finding at src/inventory/stock.c:$line"
"$CLEAVE" check -q . --plan plan.json --format github >gh.txt 2>&1
grep -q "^::error file=src/inventory/stock.c,line=$line,col=9,title=forbidden-dependency::" gh.txt ||
    fail "no GitHub annotation at the call"

# the fix passes
git revert --no-edit HEAD >/dev/null || fail "git revert"
"$CLEAVE" check -q . --plan plan.json >out.txt 2>&1 || { cat out.txt; fail "the fix does not pass"; }
echo "check e2e passed"
