"""Writers for the graph, looked up by format name in a small registry.

``write(graph, fmt, path)`` writes an rdflib Graph; ``export_file(graph_path, fmt,
out_path)`` is ``kg export``. A writer is ``fn(graph) -> Rendered``: the file's content
and what it holds, counted as written (the OWL document adds the ontology and leaves
provenance out, TriG repeats a triple in each article's graph that asserts it); its
module is imported only when the format is used, so ``import kg.export`` costs nothing.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import OutputError, counted
from ..fileio import atomic_write, load_graph


@dataclass(frozen=True)
class Writer:
    name: str
    module: str  # imported lazily
    function: str
    description: str
    suffix: str


@dataclass(frozen=True)
class Rendered:
    """A writer's output: the file's content and what it holds, as written."""

    content: str | bytes
    holds: str  # e.g. "7,603 triples", "362 nodes and 374 edges"


def triples(n: int) -> str:
    return counted(n, "triple", thousands=True)


WRITERS: dict[str, Writer] = {}
ALIASES: dict[str, str] = {}


def register(name: str, module: str, function: str, description: str, suffix: str,
             aliases: tuple[str, ...] = ()) -> None:
    """Add a writer; ``module.function(graph)`` must return a ``Rendered``."""
    WRITERS[name] = Writer(name, module, function, description, suffix)
    for alias in aliases:
        ALIASES[alias] = name


register("ttl", "kg.export.writers", "write_turtle", "Turtle, sorted and deterministic", ".ttl",
         aliases=("turtle",))
register("nt", "kg.export.writers", "write_ntriples", "N-Triples, sorted lines", ".nt",
         aliases=("ntriples", "n-triples"))
register("jsonld", "kg.export.writers", "write_jsonld", "JSON-LD with an @context", ".jsonld",
         aliases=("json-ld",))
register("trig", "kg.export.graph_writers", "write_trig",
         "TriG: one named graph per article, shared entity data in the default graph", ".trig")
register("graphml", "kg.export.graph_writers", "write_graphml",
         "GraphML of entities and relations (networkx; opens in Gephi and Cytoscape)", ".graphml")
register("owl", "kg.export.owl", "write_owl",
         "OWL 2 DL in RDF/XML: ontology + entities as named individuals, no provenance "
         "(opens in Protégé and owlready2)", ".owl", aliases=("rdfxml", "rdf/xml"))


def formats() -> str:
    """One line per format, in the order of the registry, for help texts."""
    return "\n".join(f"{w.name:8} {w.description}" for w in WRITERS.values())


def get_writer(fmt: str) -> Writer:
    name = ALIASES.get(fmt.lower(), fmt.lower())
    if name not in WRITERS:
        raise OutputError(f"unknown export format {fmt!r} (choose from {', '.join(sorted(WRITERS))})")
    return WRITERS[name]


def render(graph, fmt: str) -> Rendered:
    w = get_writer(fmt)
    return getattr(importlib.import_module(w.module), w.function)(graph)


def serialize(graph, fmt: str) -> str | bytes:
    """The file content of ``graph`` in format ``fmt``."""
    return render(graph, fmt).content


def write(graph, fmt: str, path: str | Path) -> str:
    """Write ``graph`` to ``path`` atomically in format ``fmt``; returns a one-line summary."""

    w = get_writer(fmt)
    out = render(graph, w.name)
    atomic_write(path, out.content)
    kind = w.description.split(',')[0].split(':')[0]
    where = "stdout" if str(path) == "-" else path
    return f"Wrote {out.holds} to {where} ({kind})"


def export_file(graph_path: str | Path, fmt: str, out_path: str | Path) -> str:
    """``kg export``: read the graph file, write it in another format."""

    get_writer(fmt)  # fail on a bad format before parsing the graph
    return write(load_graph(graph_path), fmt, out_path)
