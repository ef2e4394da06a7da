"""Names compared across the pipeline: the one normaliser, and the short forms a name is
also known by. Used by extraction (a place inside its own name is no second place),
resolution (成都市 and 成都 are one entity) and evaluation (labels compared alike)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_QUOTES = re.compile(r"[“”‘’《》「」『』\"'\s\u3000]")


@lru_cache(maxsize=1 << 16)
def normalise(label: str) -> str:
    """The form labels are compared in: NFKC, no quote marks or spaces, Latin lowercased."""
    return _QUOTES.sub("", unicodedata.normalize("NFKC", label)).lower()


# Short forms a name is also known by, per core class: 成都市 is 成都, 河北省 is 河北;
# 融资难题 / 融资难问题 are 融资难. (suffix, replacement, shortest remainder)
SHORT_FORMS = {
    "Region": (("市", "", 2), ("省", "", 2)),
    "Problem": (("问题", "", 2), ("难题", "难", 2)),
    "Concept": (("技术", "", 2),),
}


def short_forms(core: str, name: str) -> list[str]:
    """Other normalised names of ``name`` (a core class's name) by the suffix table."""
    out = []
    for suffix, repl, keep in SHORT_FORMS.get(core, ()):
        if name.endswith(suffix) and len(name) - len(suffix) >= keep:
            out.append(name[: -len(suffix)] + repl)
    return out
