"""Where the built graph is kept: in memory (default) or an on-disk Oxigraph store.

``--store oxigraph:PATH`` persists the graph in an Oxigraph database at PATH
through oxrdflib, as the default graph of that store (so ``oxigraph serve
--location PATH`` and ``pyoxigraph.Store(PATH)`` see it as it is). Each build
replaces the default graph of the store; named graphs are left alone. The
build loads the bulk of the graph (its reified statements) as a stream of
triples, never all in memory, and draws the pages from the store-backed graph;
the writers sort everything, so the outputs are byte-identical to a memory build.

    check_spec(spec)                       # early: a bad spec fails before extraction
    with persisted(graph, spec, more) as g:
        ...                                # write outputs from g; the store is closed after
"""

from __future__ import annotations

import itertools
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from .errors import OutputError
from .triples import Triples, from_rdflib, to_ox

_BATCH = 100_000  # quads per insert: bounds the memory of the conversion


@dataclass(frozen=True)
class StoreSpec:
    kind: str  # "memory" or "oxigraph"
    path: Path | None = None


def is_oxigraph_store(path: Path) -> bool:
    """Whether the folder ``path`` holds an on-disk Oxigraph store (RocksDB's CURRENT)."""
    return (Path(path) / "CURRENT").is_file()


STORE_FOLDER = ("an Oxigraph store (kg build --store)", is_oxigraph_store)  # for graph_input


def check_spec(spec: str | None) -> StoreSpec:
    """Parse ``memory`` (or None) / ``oxigraph:PATH``; an OutputError names a bad one."""
    if spec is None or spec.strip() in ("", "memory"):
        return StoreSpec("memory")
    kind, sep, rest = spec.partition(":")
    kind = kind.strip().lower()
    if kind == "oxigraph":
        if not sep or not rest.strip():
            raise OutputError(f"--store {spec!r}: give the folder of the store, e.g. oxigraph:outputs/store")
        path = Path(rest.strip())
        if path.exists() and not path.is_dir():
            raise OutputError(f"--store {spec!r}: {path} exists and is not a folder")
        return StoreSpec("oxigraph", path)
    raise OutputError(f"--store {spec!r}: unknown store (use memory or oxigraph:PATH)")


def open_oxigraph(path: str | Path):
    """The Oxigraph store at ``path`` (created if missing) as (a pyoxigraph ``Store``, an
    rdflib Graph over its default graph). ``graph.close()`` and dropping the Store release
    the store's lock.

    The store is opened with pyoxigraph and handed to oxrdflib's public
    ``OxigraphStore(store=...)``, so that ``load_into`` fills it with pyoxigraph's own
    calls (oxrdflib has no public accessor for the store it wraps). pyoxigraph, rdflib and
    oxrdflib are imported here, off the path of a build without ``--store``.
    """
    import pyoxigraph as ox
    import rdflib
    from oxrdflib import OxigraphStore
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise OutputError(f"cannot create the Oxigraph store {path}: {e.strerror or e}") from e
    try:
        inner = ox.Store(str(path))
    except OSError as e:
        if "lock" in str(e).lower():
            raise OutputError(f"cannot open the Oxigraph store {path}: it is in use by another "
                              "process (a running `oxigraph serve`?)") from e
        first = (str(e).strip().splitlines() or [type(e).__name__])[0]
        raise OutputError(f"cannot open the Oxigraph store {path}: {first}") from e
    # The default graph, not rdflib's usual fresh blank-node graph name: otherwise the
    # triples land in a named graph that no later Graph (nor a SPARQL server) would see.
    return inner, rdflib.Graph(store=OxigraphStore(store=inner), identifier=DATASET_DEFAULT_GRAPH_ID)


def load_into(inner, target, source, more: Iterable[tuple] = ()) -> None:
    """Replace the default graph of the pyoxigraph store ``inner`` (``target``: the rdflib
    Graph over it, which gets the prefixes of ``source``) with
    the triples of ``source`` (plain ``kg.triples.Triples`` or any rdflib graph) and the
    plain triples ``more``, which are read as they come: they need never all be in
    memory at once."""
    import pyoxigraph as ox  # off the path of a build without --store, as in open_oxigraph

    default = ox.DefaultGraph()
    inner.clear_graph(default)
    conv = lru_cache(maxsize=1 << 16)(to_ox)  # terms recur: convert each once
    if isinstance(source, Triples):
        plain = source.plain()
    else:
        plain = ((from_rdflib(s), from_rdflib(p), from_rdflib(o)) for s, p, o in source)
    quads = (ox.Quad(conv(s), conv(p), conv(o), default)
             for s, p, o in itertools.chain(plain, more))
    batch = []
    for quad in quads:
        batch.append(quad)
        if len(batch) >= _BATCH:
            inner.extend(batch)
            batch = []
    if batch:
        inner.extend(batch)
    for prefix, ns in source.namespaces():
        target.bind(prefix, ns, override=True, replace=True)
    inner.flush()


@contextmanager
def persisted(graph, spec: str | None, more: Iterable[tuple] = ()) -> Iterator:
    """Yield the graph to write outputs from: ``graph`` itself (``more`` must then be
    empty), or its copy in the store, with the plain triples ``more`` added as they come."""
    parsed = check_spec(spec)
    if parsed.kind == "memory":
        yield graph
        return
    inner, target = open_oxigraph(parsed.path)
    try:
        load_into(inner, target, graph, more)
        yield target
    finally:
        target.close()
        del inner  # the last reference: pyoxigraph releases the store's lock with it
