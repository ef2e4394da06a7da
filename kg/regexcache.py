"""Compiled regexes read from the cache folder instead of compiled afresh.

The matcher turns every rule into a regex over mask characters whose classes list
hundreds to thousands of characters; ``re`` parsing and compiling them was the largest
fixed cost of a build after loading the segmenter (0.19 s of a 2.5 s build of twenty
articles). The standard library's compiler ends in ``_sre.compile(pattern, flags, code,
groups, groupindex, indexgroup)``: this module keeps ``code`` (a list of integers) and
the rest in a sealed JSON file keyed by the pattern, Python's version and the engine's
MAGIC number, and hands them to ``_sre.compile`` the next time. ``_sre`` checks the code
it is given (a bad one raises RuntimeError, "invalid SRE code"), the seal's checksum
catches a damaged file, and anything unexpected -- another Python, a changed private API,
an unwritable folder -- falls back to ``re.compile``: a cache is an optimisation, never a
reason to fail or to match differently.
"""

from __future__ import annotations

import functools
import hashlib
import json
import re
import sys

from .errors import OutputError
from .fileio import atomic_write, cache_root, seal, unseal

REGEX_CACHE_VERSION = "1"
_HEADER = f"kg-regex {REGEX_CACHE_VERSION}\n".encode()

try:  # CPython's private compiler (3.11+); without it, plain re.compile
    import _sre
    from re import _compiler, _parser

    _ENGINE = f"{sys.version}\0{_sre.MAGIC}\0{_sre.CODESIZE}"
except (ImportError, AttributeError):  # pragma: no cover - other interpreters
    _sre = _compiler = _parser = None
    _ENGINE = None


def read_or_compile(source: str) -> re.Pattern:
    """``re.compile(source)``, from the cache folder when it holds it (flags: none)."""
    if _ENGINE is None:
        return re.compile(source)
    key = hashlib.sha256(f"{REGEX_CACHE_VERSION}\0{_ENGINE}\0{source}".encode(
        "utf-8", "surrogatepass")).hexdigest()[:32]
    path = cache_root() / "regex" / f"{key}.json"
    try:
        flags, code, groups = json.loads(unseal(path.read_bytes(), _HEADER))
        return _sre.compile(source, flags, code, groups, {}, (None,) * (groups + 1))
    except (OSError, ValueError, TypeError, RuntimeError, OverflowError, RecursionError):
        pass  # missing, damaged or foreign: compile it
    try:
        parsed = _parser.parse(source, 0)
        if parsed.state.groupdict:  # named groups: not what this cache keeps
            return re.compile(source)
        flags, code, groups = parsed.state.flags, _compiler._code(parsed, 0), parsed.state.groups - 1
        compiled = _sre.compile(source, flags, code, groups, {}, (None,) * (groups + 1))
    except Exception:  # noqa: BLE001 - a private API that changed: the public one
        return re.compile(source)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, seal(_HEADER, json.dumps([flags, code, groups],
                                                    separators=(",", ":")).encode()))
    except (OSError, OutputError, ValueError):
        pass  # a cache is an optimisation: never fail over it
    return compiled


# once per pattern and process: a rule's regex is checked at load, then used
compile = functools.lru_cache(maxsize=None)(read_or_compile)  # noqa: A001 - this module's re.compile
