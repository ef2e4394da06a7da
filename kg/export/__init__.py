"""Writers for the graph, looked up by format name in a small registry.

``write(graph, fmt, path)`` writes an rdflib Graph (the build reuses it for
``kg.ttl``); ``export_file(graph_path, fmt, out_path)`` is ``kg export``.
A writer is ``fn(graph) -> str | bytes``; its module is imported only when the
format is used, so ``import kg.export`` costs nothing.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from ..errors import OutputError
from ..fileio import atomic_write, load_graph


@dataclass(frozen=True)
class Writer:
    name: str
    module: str  # imported lazily
    function: str
    description: str
    suffix: str


WRITERS: dict[str, Writer] = {}
ALIASES: dict[str, str] = {}


def register(name: str, module: str, function: str, description: str, suffix: str,
             aliases: tuple[str, ...] = ()) -> None:
    """Add a writer; ``module.function(graph)`` must return the file content."""
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
    """One line per format, for help texts."""
    return "\n".join(f"{w.name:8} {w.description}" for w in sorted(WRITERS.values(), key=lambda w: w.name))


def get_writer(fmt: str) -> Writer:
    name = ALIASES.get(fmt.lower(), fmt.lower())
    if name not in WRITERS:
        raise OutputError(f"unknown export format {fmt!r} (choose from {', '.join(sorted(WRITERS))})")
    return WRITERS[name]


def serialize(graph, fmt: str) -> str | bytes:
    w = get_writer(fmt)
    return getattr(importlib.import_module(w.module), w.function)(graph)


def write(graph, fmt: str, path: str | Path) -> str:
    """Write ``graph`` to ``path`` atomically in format ``fmt``; returns a one-line summary."""

    w = get_writer(fmt)
    content = serialize(graph, w.name)
    atomic_write(path, content)
    kind = w.description.split(',')[0].split(':')[0]
    where = "stdout" if str(path) == "-" else path
    if w.name == "graphml":  # nodes and edges, not triples
        text = content if isinstance(content, str) else content.decode("utf-8")
        return (f"Wrote {text.count('<node '):,} entities and {text.count('<edge '):,} relations "
                f"to {where} ({kind})")
    return f"Wrote {len(graph):,} triples to {where} ({kind})"


def export_file(graph_path: str | Path, fmt: str, out_path: str | Path) -> str:
    """``kg export``: read the graph file, write it in another format."""

    get_writer(fmt)  # fail on a bad format before parsing the graph
    return write(load_graph(graph_path), fmt, out_path)
