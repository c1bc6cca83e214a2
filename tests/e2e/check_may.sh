#!/bin/sh
# check_may.sh CLEAVE SOURCE_DIR WORK_DIR - a may-only interface that gains
# a direct call, end to end on a copy of fixtures/check_may: the plan has
# mail -> http only through a pointer's type (sites_by_evidence all "type"),
# `cleave check` passes on the code the plan was made of, and a direct
# call added in mail is a new-interface finding at the added line.
set -u
CLEAVE=$1 SRC=$2 WORK=$3
fail() { echo "FAIL: $*"; exit 1; }
rm -rf "$WORK" && mkdir -p "$WORK" && cp -r "$SRC/fixtures/check_may" "$WORK/repo" || exit 1
cd "$WORK/repo" || exit 1
"$CLEAVE" plan -q . -o out --no-cache --no-render --no-report || fail "cleave plan"
python3 - <<'PY' || fail "the plan has no may-only interface mail -> http"
import json
p = json.load(open("out/plan.json"))
x = [i for i in p["interfaces"] if (i["from"], i["to"]) == ("mail", "http")]
assert len(x) == 1 and x[0]["sites_by_evidence"] == {"direct": 0, "field": 0, "type": 1}, x
PY
"$CLEAVE" check -q . --plan out/plan.json --no-cache >out.txt 2>&1 || { cat out.txt; fail "the planned code does not pass"; }

# the change: mail calls http's handler by name
sed -i 's|^static int sessions;|void http_empty_handler(int fd);\n&|' src/mail/mail.c
sed -i 's|^    on_write(fd);|&\n    http_empty_handler(fd);|' src/mail/mail.c
line=$(grep -n '^    http_empty_handler(fd);' src/mail/mail.c | cut -d: -f1)
[ -n "$line" ] || fail "the change was not applied"
"$CLEAVE" check -q . --plan out/plan.json --no-cache >out.txt 2>&1
rc=$?
cat out.txt
[ "$rc" = 1 ] || fail "exit $rc for a direct call along a may-only interface, want 1"
grep -q "^src/mail/mail.c:$line:5: error: \[new-interface\] new interface: mail now calls http, where the plan has only calls known by a pointer's type" out.txt ||
    fail "no new-interface finding at src/mail/mail.c:$line"
echo "check may-interface passed"
