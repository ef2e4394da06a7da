"""Write the key reference of docs/rules.md from the declared schema of rule files.

    python docs/rules_reference.py

The section between the two markers below is made from ``kg.rules.SCHEMA`` (the
schema that also validates every rule file) and ``kg.rules.TOKEN_KEYS``;
tests/test_docs.py fails when it is out of date.
"""

from __future__ import annotations

import sys
from pathlib import Path

from kg.rules import SCHEMA, STRINGS, TOKEN_KEYS, _type_name

RULES_MD = Path(__file__).resolve().parent / "rules.md"
BEGIN = "<!-- generated from kg.rules.SCHEMA by docs/rules_reference.py: do not edit -->"
END = "<!-- end of the generated reference -->"

# Where each kind of table stands in a rule file.
WHERE = {
    "file": "the top level of a file of `ontology/rules/`",
    "rule": "`[[rule]]`: a token pattern and what it emits",
    "when": "`when = {...}` of a rule: the context it needs",
    "entity": "an item of a rule's `entities`",
    "relation": "an item of a rule's `relations`",
    "section": "`[[section]]`: a heading or question that gives the sentences after it a role",
    "enumeration": "`[[enumeration]]`: a marker of the items of a list (一是, （一）, 第一)",
    "relate": "an item of `relate` of a section or item role",
    "cleanup": "`[cleanup]`: how spans are trimmed into labels (one per rule set)",
    "item_role": "`[[item_role]]`: the role of an enumerated item by its first words",
    "cue": "`[[cue]]`: a cue word and how it places the two ends of its relation",
}


def _type(t) -> str:
    return "a string or a list of strings" if t == STRINGS else _type_name(t)


def reference() -> str:
    """The generated section (markers included)."""
    lines = [BEGIN, "", "## Reference: every key of a rule file", ""]
    for kind, keys in SCHEMA.items():
        lines += [f"**{kind}** — {WHERE[kind]}", "", "| key | type |", "|---|---|"]
        lines += [f"| `{key}` | {_type(t)} |" for key, t in keys.items()]
        lines.append("")
    lines += ["**token** — an item of a rule's `pattern`: "
              + ", ".join(f"`{k}`" for k in sorted(TOKEN_KEYS)), "", END]
    return "\n".join(lines) + "\n"


def current(text: str) -> str | None:
    """The generated section of ``text``, if it has one."""
    if BEGIN not in text or END not in text:
        return None
    return text[text.index(BEGIN):text.index(END) + len(END)] + "\n"


def main() -> int:
    text = RULES_MD.read_text("utf-8")
    old = current(text)
    new = text.replace(old, reference()) if old else text.rstrip("\n") + "\n\n" + reference()
    RULES_MD.write_text(new, "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
