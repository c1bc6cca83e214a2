"""e2elib.py - what the Python end-to-end tests share: their command line
(--cleave BIN, --source DIR, --work DIR, as absolute paths) and the
failures they collect, each printed as it is found."""
import argparse
import os

failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def arguments(*names):
    """Parses the options names ("cleave", "source", "work"), all required,
    into absolute paths."""
    ap = argparse.ArgumentParser()
    for n in names:
        ap.add_argument("--" + n, required=True)
    a = ap.parse_args()
    for n in names:
        setattr(a, n, os.path.abspath(getattr(a, n)))
    return a
