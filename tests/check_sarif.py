"""check_sarif.py FILE - checks a SARIF log against the requirements of
SARIF 2.1.0 that cleave's output exercises (the official JSON schema is not
available offline here): version, $schema, runs[].tool.driver with rule
metadata, results with ruleId/ruleIndex matching the rules, level, message
text, and relative physical locations with 1-based regions."""
import json
import sys

log = json.load(open(sys.argv[1]))
assert log["version"] == "2.1.0", "version"
assert log["$schema"].endswith("sarif-2.1.0.json"), "$schema"
assert set(log) <= {"$schema", "version", "runs", "inlineExternalProperties", "properties"}
for run in log["runs"]:
    driver = run["tool"]["driver"]
    assert isinstance(driver["name"], str) and driver["name"], "driver.name"
    rules = driver["rules"]
    ids = [r["id"] for r in rules]
    assert len(set(ids)) == len(ids), "rule ids unique"
    for r in rules:
        assert r["shortDescription"]["text"], "rule text"
        assert r["defaultConfiguration"]["level"] in ("none", "note", "warning", "error")
    for res in run["results"]:
        assert res["ruleId"] in ids, res["ruleId"]
        assert ids[res["ruleIndex"]] == res["ruleId"], "ruleIndex"
        assert res["level"] in ("none", "note", "warning", "error"), "level"
        assert isinstance(res["message"]["text"], str) and res["message"]["text"], "message"
        for loc in res["locations"]:
            phys = loc["physicalLocation"]
            uri = phys["artifactLocation"]["uri"]
            assert not uri.startswith("/") and "://" not in uri, "relative uri " + uri
            assert phys["artifactLocation"]["uriBaseId"] == "SRCROOT"
            reg = phys.get("region", {})
            assert reg.get("startLine", 1) >= 1 and reg.get("startColumn", 1) >= 1, "region"
        for fp in res.get("partialFingerprints", {}).values():
            assert isinstance(fp, str)
        for s in res.get("suppressions", []):
            assert s["kind"] in ("inSource", "external"), "suppression kind"
print("SARIF structure ok:", sum(len(r["results"]) for r in log["runs"]), "results")
