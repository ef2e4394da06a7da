"""The curated data of ``ontology/``: rules and lexicon loaded and validated together.

Below the pipeline and the commands, above ``rules``, ``lexicon`` and ``matcher``: the
modules it reads never import it, so loading the curated data makes no import cycle.
"""

from __future__ import annotations

import re

from . import lexicon as lexicon_mod
from . import ontology, resolve, rules as rules_mod
from .errors import DataFileError, OntologyError, RuleError, counted
from .extract import Extractor
from .matcher import compiled


def load_curated(rules_dir=None, lexicon_path=None):
    """Rules and lexicon, validated together against the ontology, and the aliases the
    build resolves entities with (before any article is read): all problems at once."""
    vocab = ontology.load()
    problems: list[str] = []
    rs = lex = None
    try:
        rs = rules_mod.load(rules_dir, vocab)
    except DataFileError as e:
        problems += e.problems
    try:
        lex = lexicon_mod.load(lexicon_path, vocab)
    except DataFileError as e:
        problems += e.problems
    try:
        resolve.load_aliases(None, vocab)
    except DataFileError as e:
        problems += e.problems
    if problems:
        raise RuleError(problems)
    return rs, lex


def load_extractor(rules_dir=None, lexicon_path=None) -> Extractor:
    """An Extractor over the curated data (jieba is loaded on first use)."""
    return Extractor(*load_curated(rules_dir, lexicon_path))


def check(rules_dir=None, lexicon_path=None) -> str:
    """Validate the curated data as a build loads it (``load_extractor``) and the SHACL
    shapes as ``kg validate`` loads them, then compile what a build compiles on first use;
    every problem is reported."""
    from .validate import load_shapes  # rdflib and pySHACL, which a build never loads

    try:
        extractor = load_extractor(rules_dir, lexicon_path)
        problems = []
    except RuleError as e:  # the ontology loaded (else OntologyError): check the shapes too
        extractor, problems = None, e.problems
    try:
        load_shapes()
    except OntologyError as e:
        problems += e.problems
    for r in extractor.rs.rules if extractor else ():  # what the build compiles
        try:
            compiled(r, extractor.type_class).regex  # compiled on first use: compile it now
        except (re.error, OverflowError, ValueError, RecursionError) as e:
            problems.append(f"{r.file}: rule {r.id!r}: cannot be compiled: {e}")
    if problems:
        raise RuleError(problems)
    rs, lex = extractor.rs, extractor.lexicon
    return (f"OK: {counted(len(rs.rules), 'rule')}, {counted(len(rs.sections), 'section rule')}, "
            f"{counted(len(rs.enumerations), 'enumeration rule')}, "
            f"{counted(len(rs.item_roles), 'item role')}, {counted(len(rs.cues), 'cue rule')}, "
            f"{counted(len(rs.lists), 'list')}, {counted(len(lex.entries), 'lexicon entry')}")
