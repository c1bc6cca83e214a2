"""helptext.py - what `cleave --help` and `cleave <command> --help` say, read
the way the man page and completion tests need it.

The help texts follow one layout, which this module relies on and which
every command keeps: the command table of `cleave --help` is the indented
lines after "commands:"; an option line starts with exactly two blanks and
a short option ("  -o, --output FILE  ...") or six blanks and a long one
("      --no-cache  ..."), followed by its value's name in capitals when it
takes one; the usage lines (up to the first blank line) spell enumerated
values as "--format text|json".
"""
import re
import subprocess

OPTION_LINE = re.compile(r"^(?:  (-[A-Za-z0-9])(?:, (--[a-z][a-z0-9-]*))?|      (--[a-z][a-z0-9-]*))"
                         r"(?:[ =]([A-Z][A-Z_/]*))?(?:\s|$)")
ENUM = re.compile(r"(--[a-z][a-z0-9-]*) ([a-z]+(?:\|[a-z]+)+)")


class Option:
    def __init__(self, short, long, metavar):
        self.short, self.long, self.metavar = short, long, metavar

    def names(self):
        return [n for n in (self.short, self.long) if n]


class Help:
    """One --help text: its usage lines, options and enumerated values."""

    def __init__(self, text):
        self.text = text
        self.usage = text.split("\n\n", 1)[0]
        self.options = []
        for line in text.splitlines():
            m = OPTION_LINE.match(line)
            if m:
                short, long1, long2, metavar = m.groups()
                self.options.append(Option(short, long1 or long2, metavar))
        # "--format text|json" in the usage: the values of that option
        self.enums = {opt: vals.split("|") for opt, vals in ENUM.findall(self.usage)}

    def names(self):
        return {n for o in self.options for n in o.names()}

    def values(self, option):
        """The enumerated values of an option (by any of its names), or None."""
        for name in option.names():
            if name in self.enums:
                return self.enums[name]
        return None


def run_help(cleave, *command):
    out = subprocess.run([cleave, *command, "--help"], capture_output=True, text=True, check=True)
    return Help(out.stdout)


def commands(top):
    """The command names of `cleave --help`, in its order."""
    text = top.text.split("\ncommands:\n", 1)[1].split("\n\n", 1)[0]
    return [line.split()[0] for line in text.splitlines() if line.startswith("  ")]
