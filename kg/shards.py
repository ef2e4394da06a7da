"""The graph as sorted N-Triples shards, for stores' bulk loaders: ``kg build --shards DIR``.

A triple goes to the shard of its subject (a stable hash of the subject's N-Triples text,
so a subject and all its triples are in one shard); each shard is sorted and free of
duplicates. The union of the shards is the graph of kg.ttl, triple for triple, and the
same input gives the same shard bytes. Shards load straight into a store with its own
bulk loader (``oxigraph load --location STORE --file DIR/kg-00000.nt ...``, Fuseki's
``tdb2.tdbloader``, GraphDB's ``importrdf``, QLever's index builder) or through
``kg push --graph DIR``. The graph has no blank nodes, so shards load independently.

Triples are spilled to one unsorted file per shard as they are made; each shard is then
sorted in memory on its own, so writing needs the memory of the largest shard only.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import time
from collections import Counter
from functools import lru_cache
from pathlib import Path
from typing import Callable, Iterable

from .errors import OutputError
from .fileio import atomic_open

SHARD_GLOB = "kg-*.nt"
DEFAULT_COUNT = 8


def shard_name(index: int) -> str:
    return f"kg-{index:05d}.nt"


def write_shards(triples: Iterable[tuple], folder: Path, count: int = DEFAULT_COUNT
                 ) -> tuple[list[Path], int]:
    """Write plain triples (``kg.triples``) as ``count`` sorted N-Triples shards in
    ``folder``, replacing the shards of an earlier build. Returns (paths, triples)."""
    from .export.rdftext import term_text

    if count < 1:
        raise OutputError(f"shard count must be at least 1, not {count}")
    folder = Path(folder)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        spill_dir = tempfile.mkdtemp(prefix=".kg-shards-", dir=folder)
    except OSError as e:
        raise OutputError(f"cannot write to {folder}: {e.strerror or e}") from e
    spills = [Path(spill_dir) / f"{i}.nt" for i in range(count)]
    # terms recur (predicates, classes, entities, sentences): a bounded memo of their texts
    text = lru_cache(maxsize=1 << 16)(lambda t: term_text(t, short=False))

    @lru_cache(maxsize=1 << 16)
    def shard_of(subject: str) -> int:
        digest = hashlib.blake2b(subject.encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big") % count

    try:
        handles = [open(p, "w", encoding="utf-8", newline="\n") for p in spills]
        try:
            for s, p, o in triples:
                subject = text(s)
                handles[shard_of(subject)].write(f"{subject} {text(p)} {text(o)} .\n")
        finally:
            for h in handles:
                h.close()
        paths, total = [], 0
        for i, spill in enumerate(spills):
            lines = sorted(set(spill.read_text("utf-8").splitlines(keepends=True)))
            spill.unlink()
            path = folder / shard_name(i)
            with atomic_open(path, "w") as out:
                out.writelines(lines)
            paths.append(path)
            total += len(lines)
    except OSError as e:
        raise OutputError(f"cannot write shards to {folder}: {e.strerror or e}") from e
    finally:
        for spill in spills:
            spill.unlink(missing_ok=True)
        os.rmdir(spill_dir)
    keep = {p.name for p in paths}
    for old in folder.glob(SHARD_GLOB):  # shards of an earlier build with more shards
        if old.name not in keep:
            old.unlink()
    return paths, total


def build_shards(sources: list[Path], shards_dir: Path, count: int = DEFAULT_COUNT,
                 jobs: int = 1, rules_dir=None, lexicon_path=None, encoding=None,
                 use_cache: bool = True, warn: Callable[[str], None] = lambda m: None,
                 engine=None):
    """``kg build --shards DIR``: extract and resolve as a build does, then write the
    graph as shards instead of kg.ttl. Returns the build's ``Summary``."""
    from . import ontology, rdf
    from .pipeline import (Summary, _collector_paused, check_out_dir, extract_sources,
                           load_extractor, resolve_extractions)

    t0 = time.perf_counter()
    check_out_dir(Path(shards_dir))
    if count < 1:
        raise OutputError(f"shard count must be at least 1, not {count}")
    with _collector_paused():
        extractor = load_extractor(rules_dir, lexicon_path)
        articles, extractions, n_extracted = extract_sources(
            sources, extractor, jobs=jobs, use_cache=use_cache, encoding=encoding, warn=warn,
            progress=True, engine=engine)
        entities, rels = resolve_extractions(extractions)
        statements = rdf.statements_of(entities, rels)
        head = rdf.assertions(articles, entities, statements)

        def triples():
            yield from head.plain()
            yield from rdf.statement_triples(statements)

        paths, total = write_shards(triples(), Path(shards_dir), count)
    summary = Summary(articles=len(articles), sentences=sum(len(a.sentences) for a in articles),
                      characters=sum(len(a.text) for a in articles), extracted=n_extracted)
    summary.entities = Counter(ontology.load().core(e.cls) for e in entities)
    summary.relations = Counter(p for _, p, _, _ in rels)
    summary.triples = total
    summary.files = [f"{paths[0]} … {paths[-1].name} ({len(paths)} shards)" if len(paths) > 1
                     else paths[0]]
    summary.seconds = time.perf_counter() - t0
    return summary


def shard_files(folder: Path) -> list[Path]:
    """The shards of ``folder``, in order."""
    return sorted(Path(folder).glob(SHARD_GLOB))


SHARDS_FOLDER = ("a folder of shards (kg build --shards)", lambda path: bool(shard_files(path)))
