"""The error hierarchy. The CLI turns any KgError into one line ``Error: ...``.

``counted`` puts a number and its noun in the same number, for every message."""


class KgError(Exception):
    """A problem the user can fix (bad input, bad data file, bad query)."""


class SourceError(KgError):
    """A source article cannot be read or is malformed."""


class DataFileError(KgError):
    """A curated data file (rules, lexicon, aliases, ontology) is invalid.

    Carries every problem found, so the user sees them all at once.
    """

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))

    def __reduce__(self):  # raised in a worker process, re-raised in the parent
        return type(self), (self.problems,)


class RuleError(DataFileError):
    """Invalid extraction rule file(s)."""


class LexiconError(DataFileError):
    """Invalid lexicon file(s)."""


class OntologyError(DataFileError):
    """Invalid ontology, shapes or alias file."""


class QueryError(KgError):
    """A SPARQL query is malformed or refused."""


class GraphError(KgError):
    """A graph file cannot be read."""


class InputError(KgError):
    """An input file is missing, not a regular file, too large or unreadable."""


class OutputError(KgError):
    """An output cannot be written."""


class PushError(KgError):
    """A graph could not be pushed to a SPARQL endpoint."""


class EvalError(KgError):
    """A gold file is malformed."""


class ReasonerError(KgError):
    """A reasoner cannot run (missing Java or owlready2) or failed."""


def counted(n: int, noun: str, plural: str | None = None, thousands: bool = False) -> str:
    """``n`` and ``noun``, singular for one: "1 article", "2 articles", "3 entities"
    (``plural`` for another plural form; ``thousands``: "7,603 triples")."""
    if n == 1:
        word = noun
    elif plural is not None:
        word = plural
    elif noun.endswith("y") and noun[-2:-1] not in ("a", "e", "o", "u"):
        word = noun[:-1] + "ies"
    elif noun.endswith(("s", "x", "ch", "sh")):
        word = noun + "es"
    else:
        word = noun + "s"
    return f"{n:,} {word}" if thousands else f"{n} {word}"


def closest(name: str, names) -> str | None:
    """The one of ``names`` that ``name`` most likely misspells (case aside), for a "did
    you mean" hint; None if none is close."""
    import difflib

    by_folded = {n.casefold(): n for n in sorted(names, reverse=True)}
    near = difflib.get_close_matches(name.casefold(), by_folded, n=1, cutoff=0.75)
    return by_folded[near[0]] if near else None
