"""check_sarif.py FILE... - validates SARIF logs written by `cleave check`.

Each FILE must be valid against the SARIF 2.1.0 JSON schema shipped in
tests/data/sarif-schema-2.1.0.json (Draft 7, with the "uri" and
"uri-reference" formats checked), and meet what the schema cannot say:
rule ids unique, each result's ruleIndex pointing at its ruleId, locations
relative to SRCROOT (or file:/// URIs, for files outside the project root).  Prints every problem; exits 1 when there is one, 2
when the validator itself is unusable.

Run it with Debian's python (/usr/bin/python3), which has python3-jsonschema
and python3-rfc3987 (`make deps` installs both).
"""
import json
import os
import sys

try:
    import jsonschema
except ImportError:
    sys.exit("check_sarif.py: no jsonschema module: install python3-jsonschema "
             "(make deps) and run /usr/bin/python3")

SCHEMA = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "data", "sarif-schema-2.1.0.json")


def validator():
    with open(SCHEMA, encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    formats = cls.FORMAT_CHECKER
    # without rfc3987 the uri formats are silently not checked
    missing = {"uri", "uri-reference"} - set(formats.checkers)
    if missing:
        sys.exit("check_sarif.py: jsonschema cannot check the formats %s: install python3-rfc3987"
                 % ", ".join(sorted(missing)))
    return cls(schema, format_checker=formats)


def schema_errors(v, log):
    for e in sorted(v.iter_errors(log), key=lambda e: list(map(str, e.absolute_path))):
        yield "/" + "/".join(map(str, e.absolute_path)) + ": " + e.message


def cleave_errors(log):
    """What cleave promises beyond the schema (docs/check.md)."""
    if log.get("version") != "2.1.0":
        yield "version is not 2.1.0"
    for r, run in enumerate(log.get("runs") or []):
        driver = run.get("tool", {}).get("driver", {})
        ids = [rule.get("id") for rule in driver.get("rules", [])]
        if len(set(ids)) != len(ids):
            yield "/runs/%d: rule ids are not unique" % r
        if "results" not in run:
            yield "/runs/%d: no results array (required for a log of an actual scan)" % r
        for i, res in enumerate(run.get("results", [])):
            at = "/runs/%d/results/%d" % (r, i)
            k = res.get("ruleIndex")
            if res.get("ruleId") not in ids:
                yield at + ": ruleId %r is not a rule of the driver" % res.get("ruleId")
            elif not isinstance(k, int) or not 0 <= k < len(ids) or ids[k] != res["ruleId"]:
                yield at + ": ruleIndex %r does not point at ruleId %r" % (k, res["ruleId"])
            for j, loc in enumerate(res.get("locations", [])):
                art = loc.get("physicalLocation", {}).get("artifactLocation", {})
                uri = art.get("uri", "")
                if uri.startswith("file:///"):  # a file outside the project root
                    if "uriBaseId" in art:
                        yield at + "/locations/%d: absolute uri %r with a uriBaseId" % (j, uri)
                elif uri.startswith("/") or ":" in uri.split("/")[0]:
                    yield at + "/locations/%d: uri %r is neither relative nor file:///" % (j, uri)
                elif art.get("uriBaseId") != "SRCROOT":
                    yield at + "/locations/%d: uriBaseId is not SRCROOT" % j


def main(paths):
    if not paths:
        sys.exit(__doc__)
    v = validator()
    bad = 0
    for path in paths:
        with open(path, encoding="utf-8") as f:
            log = json.load(f)
        errors = list(schema_errors(v, log)) + list(cleave_errors(log))
        for e in errors:
            print("%s: %s" % (path, e))
        if errors:
            bad += 1
        else:
            n = sum(len(run.get("results", [])) for run in log.get("runs") or [])
            print("%s: valid SARIF 2.1.0, %d result(s)" % (path, n))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
