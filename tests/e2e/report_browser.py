#!/usr/bin/env python3
"""report_browser.py - cleave's HTML report in a real browser.

Debian's chromium, headless, driven by chromedriver through python3-selenium
(all three from `make deps`), opens reports that cleave writes during the
test, from file://:
  - the demo (fixtures/demo's golden graph planned now): the page loads with
    no console error and no network request; clicking a service on the map
    opens its panel; clicking an interface lists every call site graph.json
    has for it; search finds a function and shows why it is there, as
    plan.json's "placement" records it; the matrix holds exactly plan.json's
    interfaces, and clicking a cell opens that interface;
  - the demo's plan without its "placement" array (as an older cleave wrote
    it): "why here" says that none was recorded;
  - a hostile plan: a service renamed to quotes, </script>, <img onerror>
    and UTF-8, the same text in a note and a placement: every one shows as
    text, no element is injected, nothing runs;
  - fixtures/odd_names: a UTF-8 file name found by search;
  - fixtures/plan_plugins: for each reason its plan records (a plug-in,
    a folder, infrastructure, a program), search opens a function that
    has it and "why here" shows plan.json's reason and sentence;
  - a generated plan (bench/gen_graph.c) big enough for the grouped map:
    clicking a group expands it, clicking a service opens it, search works;
    the time until the page is drawn is printed.

usage: report_browser.py --cleave BIN --source DIR --work DIR --gen GEN_GRAPH
                         [--functions N] [--screenshots DIR]
       report_browser.py --measure REPORT.html... [--runs N] [--screenshots DIR]
--screenshots writes the pictures docs/ shows (report-*.png) as well as
checking.  Exit 1 on any failure; "N passed, M failed" at the end.
--measure opens each report N times (default 3) from file:// on its map and
prints its size, the time until the page is drawn (readyMs: from
navigation to the script's first tab drawn, the data parsed), the time to
expand a group (grouped maps) and to open a service's panel from the map
(from the click to the next frame drawn), each as the range over the runs,
and checks the page is clean; with --screenshots, a picture of each
report's map with a service's panel open (<report's folder name>-map.png).
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HOSTILE = "</script><script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=2\">'\"&amp; \u00fcn\u00ef\u65e5\u672c"
CHROME_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1280,800"]
FALLBACK = "no placement recorded in this plan: made by an older cleave"

passed = 0
failed = 0


def check(ok, what):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print("FAIL:", what)
    return ok


def run(cmd, cwd):
    p = subprocess.run(cmd, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    if p.returncode != 0:
        print("FAIL: %s exited %d\n%s" % (" ".join(cmd), p.returncode, p.stderr.decode()))
        sys.exit(1)
    return p


def load_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def save_json(obj, path):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, indent=1, ensure_ascii=False)


def placement_of(plan, fid):
    """What "why here" shows for function fid: plan.json's reason: detail."""
    row = next(r for r in plan["placement"] if r["function"] == fid)
    return "%s: %s" % (row["reason"], row["detail"])


def with_placement(plan):
    rows = []
    for s in plan["services"]:
        for fid in s["functions"]:
            rows.append({"function": fid, "component": s["name"], "reason": "folder",
                         "detail": "its folder is a module of its own"})
    rows.sort(key=lambda r: r["function"])
    plan["placement"] = rows
    return plan


def renamed(value, old, new):
    """value with every string equal to old replaced by new."""
    if isinstance(value, dict):
        return {k: renamed(v, old, new) for k, v in value.items()}
    if isinstance(value, list):
        return [renamed(v, old, new) for v in value]
    return new if value == old else value


class Page:
    def __init__(self, driver):
        self.d = driver

    def open(self, path, frag=""):
        self.d.get("file://" + os.path.abspath(path) + frag)
        deadline = time.time() + 60
        while time.time() < deadline:
            if self.d.execute_script("return !!(window.cleaveReport && window.cleaveReport.readyMs)"):
                break
            time.sleep(0.05)
        return self.d.execute_script("return window.cleaveReport ? window.cleaveReport.readyMs : null")

    def js(self, script, *args):
        return self.d.execute_script(script, *args)

    def wait(self, script, what, timeout=10):
        deadline = time.time() + timeout
        while time.time() < deadline:
            v = self.d.execute_script(script)
            if v:
                return v
            time.sleep(0.05)
        check(False, "timed out waiting for " + what)
        return None

    def clean(self, name):
        """No console error, no request but the page itself."""
        logs = self.d.get_log("browser")
        errors = [e for e in logs if e.get("level") == "SEVERE"]
        check(not errors, "%s: console errors: %s" % (name, errors))
        res = self.js("return performance.getEntriesByType('resource').map(e => e.name)")
        check(res == [], "%s: network requests: %s" % (name, res))
        nav = self.js("return performance.getEntriesByType('navigation').map(e => e.name)")
        check(all(n.startswith("file://") for n in nav), "%s: navigation %s" % (name, nav))

    def click(self, css):
        from selenium.webdriver.common.by import By
        el = self.d.find_element(By.CSS_SELECTOR, css)
        el.click()

    def panel_title(self):
        return self.wait("var h = document.querySelector('#panel #panel-title'); return h && h.textContent",
                         "a panel")

    def panel_text(self):
        return self.js("return document.getElementById('panel').textContent")

    def search(self, text):
        from selenium.webdriver.common.by import By
        box = self.d.find_element(By.ID, "search")
        box.clear()
        box.send_keys(text)
        q = json.dumps(text)
        self.wait("var h = document.querySelector('#view h2'); return h && h.textContent.includes('\u201c' + %s + '\u201d')" % q,
                  "the results for " + text)
        return self.wait("return document.querySelectorAll('#view .vlist .row').length", "search results")


def matrix_matches(p, plan, what):
    """The matrix holds exactly plan.json's interfaces between non-library
    services, and every such service; returns the drawn matrix."""
    m = p.js("return window.cleaveReport.matrix()")
    libs = {sv["name"] for sv in plan["services"] if sv["kind"] == "library"}
    want = sorted((i["from"], i["to"], i["sites"]) for i in plan["interfaces"] if i["from"] not in libs and i["to"] not in libs)
    got = sorted((m["order"][r], m["order"][c], n) for r, c, n in m["cells"])
    check(got == want, "%s: matrix cells match plan.json interfaces" % what)
    check(sorted(m["order"]) == sorted(sv["name"] for sv in plan["services"] if sv["kind"] != "library"),
          "%s: the matrix lists every service" % what)
    return m


def svc_index(plan, name):
    names = [s["name"] for s in plan["services"]]
    return names.index(name)


def demo_checks(p, work, plan, graph, shots):
    html = os.path.join(work, "demo", "report.html")
    ms = p.open(html, "#tab=map")
    print("demo: drawn in %s ms" % ms)
    p.clean("demo")
    # a service on the map
    s = svc_index(plan, "orders") if "orders" in [x["name"] for x in plan["services"]] else 0
    name = plan["services"][s]["name"]
    p.click("#map g.node#s%d text" % s)
    check(p.panel_title() and p.panel_title().startswith(name), "map click opens %s's panel" % name)
    check("Entry points" in p.panel_text() and "Interfaces out" in p.panel_text(), "service panel sections")
    if shots:
        p.click("#view .mapbar button[title='zoom in']")  # labels a reader can read
        p.d.save_screenshot(os.path.join(shots, "report-map.png"))
    # an interface on the map: every site graph.json has for it
    k = max(range(len(plan["interfaces"])), key=lambda i: plan["interfaces"][i]["sites"])
    x = plan["interfaces"][k]
    p.click("#map g.edge#i%d text" % k)
    title = p.wait("var h = document.querySelector('#panel #panel-title'); return h && h.textContent.includes('→') && h.textContent", "interface panel")
    check(title == "%s → %s" % (x["from"], x["to"]), "edge click opens interface %s -> %s (got %r)" % (x["from"], x["to"], title))
    member = {}
    for sv in plan["services"]:
        for f in sv["functions"]:
            member[f] = sv["name"]
    sites = [a for c in graph["calls"] if member.get(c["from"]) == x["from"] and member.get(c["to"]) == x["to"] for a in c["at"]]
    text = p.panel_text()
    check(len(sites) == x["sites"], "graph.json has %d sites for the interface, plan.json %d" % (len(sites), x["sites"]))
    missing = [a for a in sites if a not in text]
    check(not missing, "interface panel lists every call site (missing %s)" % missing[:5])
    check("calls/s under the traffic model" in text, "interface panel gives the interface's rate")
    # search a function: why is it here
    check(p.search("orders_cmd_checkout") >= 1, "search finds orders_cmd_checkout")
    p.click("#view .vlist .row[data-kind=function] a")
    check(p.panel_title().startswith("orders_cmd_checkout"), "search result opens the function")
    why = p.js("var w = document.querySelector('#panel .why'); return w && w.textContent")
    want = placement_of(plan, "orders_cmd_checkout")
    check(why == want, "why here shows plan.json's placement: %r, want %r" % (why, want))
    if shots:
        p.d.save_screenshot(os.path.join(shots, "report-why.png"))
    # the matrix: exactly plan.json's interfaces between non-library services
    p.open(html, "#tab=matrix")
    m = matrix_matches(p, plan, "demo")
    r, c, n = m["cells"][0]
    pt = p.js("return window.cleaveReport.matrixCell(%d, %d)" % (r, c))
    p.js("var b = document.getElementById('matrix'); var o = {clientX: arguments[0], clientY: arguments[1], bubbles: true};"
         "b.dispatchEvent(new MouseEvent('mousemove', o)); b.dispatchEvent(new MouseEvent('click', o));", pt["x"], pt["y"])
    tip = p.js("return document.querySelector('.tip').textContent")
    check(tip.startswith("%s → %s: %d call site" % (m["order"][r], m["order"][c], n)), "matrix tooltip %r" % tip)
    check(p.panel_title() == "%s → %s" % (m["order"][r], m["order"][c]), "matrix click opens the interface")
    if shots:
        p.d.save_screenshot(os.path.join(shots, "report-matrix.png"))
        p.open(html, "#tab=overview")
        p.d.save_screenshot(os.path.join(shots, "report-overview.png"))
    p.clean("demo, after clicks")


def older_checks(p, work):
    html = os.path.join(work, "demo", "older.html")
    p.open(html)
    p.clean("older")
    p.search("orders_cmd_checkout")
    p.click("#view .vlist .row[data-kind=function] a")
    p.panel_title()
    why = p.js("var w = document.querySelector('#panel .why'); return w && w.textContent")
    check(why == FALLBACK, "why here without placement: %r" % why)


def hostile_checks(p, work, plan):
    html = os.path.join(work, "hostile", "report.html")
    p.open(html, "#tab=components")
    p.clean("hostile")
    check(p.js("return window.__pwned === undefined"), "no script from the data ran")
    check(p.js("return document.querySelectorAll('img').length") == 0, "no element from the data")
    links = p.js("return Array.from(document.querySelectorAll('#view a')).map(a => a.textContent)")
    check(HOSTILE in links, "the hostile service name shows as text in the list")
    # its index in the report: cleave sorts the services it reads by name
    s = p.js("return Array.from(document.querySelectorAll('#view a')).findIndex(a => a.textContent === arguments[0])", HOSTILE)
    p.js("Array.from(document.querySelectorAll('#view a')).find(a => a.textContent === arguments[0]).click()", HOSTILE)
    check(p.panel_title().startswith(HOSTILE), "its panel title is the name, as text")
    p.open(html, "#tab=overview")
    notes = p.js("return Array.from(document.querySelectorAll('#view li')).map(l => l.textContent)")
    check(HOSTILE in notes, "a hostile note shows as text")
    p.open(html, "#tab=map")
    titles = p.js("return Array.from(document.querySelectorAll('#map svg g.node title')).map(t => t.textContent)")
    # Graphviz itself reads an entity in a node's name ("&amp;" shows as "&")
    check("service:" + HOSTILE.replace("&amp;", "&") in titles, "the map names it: %s" % titles)
    p.search("orders_cmd_checkout")
    p.click("#view .vlist .row[data-kind=function] a")
    p.panel_title()
    why = p.js("var w = document.querySelector('#panel .why'); return w && w.textContent")
    check(why == "folder: " + HOSTILE, "a hostile placement shows as text: %r" % why)
    check(p.js("return window.__pwned === undefined && document.querySelectorAll('img').length === 0"), "still nothing ran")


def odd_checks(p, work):
    html = os.path.join(work, "odd", "report.html")
    p.open(html)
    p.clean("odd_names")
    p.search("\u65e5\u672c")
    files = p.js("return Array.from(document.querySelectorAll('#view .vlist .row[data-kind=file] a')).map(a => a.textContent)")
    check("\u00fcn\u00ef/\u65e5\u672c.c" in files, "search finds the UTF-8 file: %s" % files)
    p.search("quote")
    files = p.js("return Array.from(document.querySelectorAll('#view .vlist .row[data-kind=file] a')).map(a => a.textContent)")
    check('my dir/quote"d.c' in files, "search finds the quoted file: %s" % files)


def fine_checks(p, work, plan):
    """--granularity function: a function that shares its file with others
    owns no file in plan.json; its panel names the file its functions are in."""
    s = next(k for k, x in enumerate(plan["services"]) if not x["files"] and x["functions"])
    x = plan["services"][s]
    p.open(os.path.join(work, "fine", "report.html"), "#tab=components&panel=s%d" % s)
    p.clean("function granularity")
    check(p.panel_title() and p.panel_title().startswith(x["name"]), "panel of %s opens" % x["name"])
    text = p.panel_text()
    check("(owned by others)" in text and "0 files" not in text,
          "a function owning no file says where its functions are: %r" % text[:160])
    graph = load_json(os.path.join(work, "fine", "graph.json"))
    files = {f["file"] for f in graph["functions"] if f["id"] in set(x["functions"])}
    missing = [f for f in files if f not in text]
    check(files and not missing, "its panel lists the files of its functions (missing %s)" % missing)


def plugin_checks(p, work, plan):
    """fixtures/plan_plugins: why here for each reason its plan gives
    (plugin among them), as plan.json says it."""
    html = os.path.join(work, "plugins", "report.html")
    p.open(html)
    p.clean("plan_plugins")
    reasons = {}
    for row in plan["placement"]:
        reasons.setdefault(row["reason"], row["function"])
    check("plugin" in reasons, "plan_plugins places a plug-in: %s" % sorted(reasons))
    for reason, fid in sorted(reasons.items()):
        name = fid.split(":")[-1]
        p.search(name)
        p.js("Array.from(document.querySelectorAll('#view .vlist .row[data-kind=function] a'))"
             ".find(a => a.textContent === arguments[0]).click()", fid)
        check(p.panel_title().startswith(name), "search opens %s" % name)
        why = p.js("var w = document.querySelector('#panel .why'); return w && w.textContent")
        want = placement_of(plan, fid)
        check(why == want, "%s: why here %r, want %r" % (reason, why, want))
    p.clean("plan_plugins, after clicks")


def generated_checks(p, work, plan):
    html = os.path.join(work, "gen", "report.html")
    size = os.path.getsize(html)
    ms = p.open(html, "#tab=map")
    print("generated plan: %d functions, %d components, report %.1f MB, drawn in %s ms" % (
        sum(len(s["functions"]) for s in plan["services"]), len(plan["services"]), size / 1e6, ms))
    p.clean("generated")
    check(p.js("return !!document.querySelector('#map svg g.node#G0')"), "the grouped map shows groups")
    p.click("#map g.node#G0 text")
    ids = p.wait("var n = document.querySelectorAll('#map svg g.node[id^=s]'); return n.length && Array.from(n).map(g => g.id)",
                 "the expanded group")
    check(ids and len(ids) >= 1, "clicking a group expands it")
    if ids:
        p.click("#map g.node#%s text" % ids[0])
        s = int(ids[0][1:])
        check(p.panel_title().startswith(plan["services"][s]["name"]), "a service of the group opens")
    f = plan["services"][0]["functions"][0].split(":")[-1]
    check(p.search(f) >= 1, "search finds %s" % f)
    p.open(html, "#tab=matrix")
    matrix_matches(p, plan, "generated")
    p.clean("generated, after clicks")


CLICK_MS = """
const done = arguments[arguments.length - 1], t0 = performance.now();
document.querySelector(arguments[0]).dispatchEvent(new MouseEvent('click', {bubbles: true}));
requestAnimationFrame(() => setTimeout(() => done(performance.now() - t0), 0));
"""


def measure_one(p, path, runs, shots):
    """Load and click times of one report (module docstring)."""
    size = os.path.getsize(path)
    ready, group, panel = [], [], []
    for _ in range(runs):
        p.d.get("about:blank")  # a fresh load each time, not a change of fragment
        ready.append(p.open(path, "#tab=map"))
        if p.js("return !!document.querySelector('#map svg g.node#G0')"):
            # the group holding the most components
            sizes = p.js("return window.cleaveReport.groupSizes()")
            g = max(range(len(sizes)), key=lambda i: sizes[i])
            group.append(p.d.execute_async_script(CLICK_MS, "#map g.node#G%d" % g))
        node = p.js("var n = document.querySelector('#map svg g.node[id^=s]'); return n && n.id")
        if not check(node, "%s: a service on the map" % path):
            break
        panel.append(p.d.execute_async_script(CLICK_MS, "#map g.node#%s" % node))
        check(p.panel_title(), "%s: the panel opens" % path)
        p.clean(path)
    if shots:
        name = os.path.basename(os.path.dirname(os.path.abspath(path)))
        p.d.save_screenshot(os.path.join(shots, name + "-map.png"))

    def span(v):
        return "%.0f-%.0f ms" % (min(v), max(v)) if v else "-"
    groups = len(p.js("return window.cleaveReport.groupSizes()"))
    print("%s: %.2f MB, %d groups, drawn in %s, group expanded in %s, service panel in %s (%d runs)" % (
        path, size / 1e6, groups, span(ready), span(group), span(panel), runs))


def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service
    o = Options()
    for f in CHROME_FLAGS:
        o.add_argument(f)
    profile = tempfile.mkdtemp(prefix="cleave-chromium-")
    o.add_argument("--user-data-dir=" + profile)
    o.binary_location = "/usr/bin/chromium"
    o.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=o)
    driver.set_script_timeout(120)
    return driver, profile


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cleave")
    ap.add_argument("--source")
    ap.add_argument("--work")
    ap.add_argument("--gen")
    ap.add_argument("--functions", type=int, default=6000)
    ap.add_argument("--screenshots")
    ap.add_argument("--measure", nargs="+", metavar="REPORT")
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    if not a.measure and not (a.cleave and a.source and a.work and a.gen):
        ap.error("give --cleave, --source, --work and --gen, or --measure REPORT...")
    try:
        import selenium  # noqa: F401 (browser() imports what it uses)
    except ImportError:
        print("FAIL: %s has no selenium: install python3-selenium (make deps)" % sys.executable)
        return 1
    for exe in ("/usr/bin/chromium", "/usr/bin/chromedriver"):
        if not os.access(exe, os.X_OK):
            print("FAIL: %s is missing: install chromium and chromium-driver (make deps)" % exe)
            return 1
    if a.measure:
        driver, profile = browser()
        try:
            for path in a.measure:
                measure_one(Page(driver), path, a.runs, a.screenshots)
        finally:
            driver.quit()
            shutil.rmtree(profile, ignore_errors=True)
        print("%d passed, %d failed" % (passed, failed))
        return 1 if failed else 0
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    src = a.source
    cl = a.cleave
    # the reports
    demo = os.path.join(a.work, "demo")
    run([cl, "plan", "-q", "--graph", "fixtures/demo/expected.json", "-o", demo], src)
    plan = load_json(os.path.join(demo, "plan.json"))
    graph = load_json(os.path.join(demo, "graph.json"))
    check("placement" in plan, "cleave plan records the placement")
    older = json.loads(json.dumps(plan))
    older.pop("placement", None)
    save_json(older, os.path.join(demo, "older.json"))
    run([cl, "report", os.path.join(demo, "older.json"), "-o", os.path.join(demo, "older.html")], src)
    hostile = os.path.join(a.work, "hostile")
    os.makedirs(hostile)
    victim = "orders" if "orders" in [s["name"] for s in plan["services"]] else plan["services"][0]["name"]
    bad = renamed(json.loads(json.dumps(plan)), victim, HOSTILE)
    bad["notes"] = [HOSTILE]
    bad = with_placement(bad)
    for row in bad["placement"]:
        row["detail"] = HOSTILE
    save_json(bad, os.path.join(hostile, "plan.json"))
    shutil.copy(os.path.join(demo, "graph.json"), os.path.join(hostile, "graph.json"))
    run([cl, "report", os.path.join(hostile, "plan.json"), "-o", os.path.join(hostile, "report.html")], src)
    run([cl, "plan", "-q", "--graph", "fixtures/demo/expected.json", "--granularity", "function",
         "--no-render", "-o", os.path.join(a.work, "fine")], src)
    fplan = load_json(os.path.join(a.work, "fine", "plan.json"))
    run([cl, "plan", "-q", "fixtures/odd_names", "--cache-dir", os.path.join(a.work, "cache"),
         "-o", os.path.join(a.work, "odd")], src)
    run([cl, "plan", "-q", "fixtures/plan_plugins", "--cache-dir", os.path.join(a.work, "cache"),
         "-o", os.path.join(a.work, "plugins")], src)
    pplan = load_json(os.path.join(a.work, "plugins", "plan.json"))
    gen_graph = os.path.join(a.work, "gen.json")
    run([a.gen, "-n", str(a.functions), "-o", gen_graph], src)
    t0 = time.time()
    # the plan's own diagrams are not looked at here: only the report's map
    run([cl, "plan", "-q", "--graph", gen_graph, "--no-render", "--no-report", "-o",
         os.path.join(a.work, "gen")], src)
    run([cl, "report", os.path.join(a.work, "gen", "plan.json")], src)
    print("generated plan and report written in %.1f s" % (time.time() - t0))
    gplan = load_json(os.path.join(a.work, "gen", "plan.json"))

    driver, profile = browser()
    try:
        p = Page(driver)
        demo_checks(p, a.work, plan, graph, a.screenshots)
        older_checks(p, a.work)
        hostile_checks(p, a.work, bad)
        odd_checks(p, a.work)
        fine_checks(p, a.work, fplan)
        plugin_checks(p, a.work, pplan)
        generated_checks(p, a.work, gplan)
    except Exception as e:  # a step that cannot go on is one failure
        check(False, "%s: %s" % (type(e).__name__, e))
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
