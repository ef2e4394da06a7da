"""The build: sources -> normalise -> segment -> extract -> resolve -> RDF -> files.

Articles are extracted independently (in worker processes with ``jobs > 1``)
and cached by the hash of their text and of the rules, lexicon and ontology;
merging sorts everything, so the output is byte-identical for any ``jobs``.
"""

from __future__ import annotations

import gc
import hashlib
import itertools
import json
import os
import sys
import time
from collections import Counter
from contextlib import contextmanager
from dataclasses import astuple, dataclass, field, replace
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Callable, Iterator

import click

from . import ontology, outdir, rdf, resolve, store as store_mod
from .curated import load_curated, load_extractor  # noqa: F401  (kg.pipeline.load_extractor)
from .errors import OutputError, SourceError, counted
from .fileio import atomic_write, cache_root, seal, unseal
from .model import Article, Extraction, Mention, Relation
from .process import die_with_parent
from .sources import ArticleIds, discover, read_article

CACHE_VERSION = "2"
CACHE_SUFFIX = ".json"


def cache_dir() -> Path:
    return cache_root() / "extractions"


@dataclass
class Summary:
    articles: int = 0
    sentences: int = 0
    characters: int = 0
    entities: Counter = field(default_factory=Counter)
    relations: Counter = field(default_factory=Counter)
    triples: int = 0
    extracted: int = 0  # articles extracted (not taken from the cache)
    seconds: float = 0.0
    files: list = field(default_factory=list)

    def render(self) -> str:
        lines = [f"Built {counted(self.triples, 'triple')} from {counted(self.articles, 'article')} "
                 f"({counted(self.sentences, 'sentence')} read, {counted(self.characters, 'character')}) "
                 f"in {self.seconds:.1f} s; {self.extracted} extracted, "
                 f"{self.articles - self.extracted} from cache."]
        lines.append(f"Entities: {sum(self.entities.values())}")
        for cls, n in sorted(self.entities.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"  {cls:<12} {n}")
        lines.append(f"Relations: {sum(self.relations.values())}")
        for p, n in sorted(self.relations.items(), key=lambda kv: (-kv[1], kv[0])):
            lines.append(f"  {p:<14} {n}")
        lines.append(written(self.files))
        return "\n".join(lines)


def written(files: list) -> str:
    """One line whatever the number of pages: kg.ttl, graph.html, N article pages."""
    files = [Path(f) for f in files]
    if not files:
        return "Wrote nothing."
    out = files[0].parent
    pages = [f for f in files if f.parent == out / "articles"]
    assets = [f for f in files if f.parent == out / "assets"]
    top = [str(f) for f in files if f not in pages and f not in assets]
    if pages:
        top.append(f"{counted(len(pages), 'article page')} in {out / 'articles'}/")
    line = "Wrote " + (", ".join(top[:-1]) + " and " + top[-1] if len(top) > 1 else top[0])
    return line + (f" (scripts and data in {out / 'assets'}/)" if assets else "")


# ------------------------------------------------------------ worker side
_worker_extractor = None


def _init_worker(extractor) -> None:
    global _worker_extractor
    _worker_extractor = extractor  # its segmenter loaded by the parent: shared, not copied
    die_with_parent()  # a killed build leaves no worker writing to its closed pipes


def _extract_one(task: tuple[Article, Path | None]) -> tuple[list, list]:
    return _extract_with(_worker_extractor, task)


def _extract_with(extractor, task: tuple[Article, Path | None]) -> tuple[list, list]:
    """Extract the article of ``task`` and cache it at its path (if any): its mentions and
    relations (from a worker, the parent has the article already)."""
    article, cache_path = task
    ex = extractor.extract(article)
    if cache_path is not None:
        _store_cached(cache_path, ex)
    return ex.mentions, ex.relations


def _store_cached(path: Path, ex: Extraction) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(path, dump_extraction(ex))
    except (OSError, OutputError):
        pass  # a cache is an optimisation: never fail a build over it


# ------------------------------------------------------------ the extraction cache
# One file per article: a header line, the SHA-256 of the payload, the payload (JSON of
# plain lists and strings: nothing in it can run code). Mentions are listed once and
# relations point at them by index. Loading checks the checksum and every field's type.
_CACHE_HEADER = f"kg-extraction {CACHE_VERSION}\n".encode()
_MENTION_TYPES = (str, int, int, int, str, str, str, str, list)


class CacheEntryError(ValueError):
    """A cached extraction is damaged or foreign."""


def dump_extraction(ex: Extraction) -> bytes:
    table: dict[Mention, int] = {}
    for m in itertools.chain(ex.mentions, (x for r in ex.relations for x in (r.subject, r.object))):
        table.setdefault(m, len(table))
    payload = {
        "article": ex.article.id,
        "table": [[*astuple(m)[:-1], list(m.alts)] for m in table],
        "mentions": [table[m] for m in ex.mentions],
        "relations": [[table[r.subject], r.predicate, table[r.object], r.rule, r.article_id,
                       r.sentence] for r in ex.relations],
    }
    return seal(_CACHE_HEADER, json.dumps(payload, ensure_ascii=False,
                                          separators=(",", ":")).encode("utf-8"))


def load_extraction(data: bytes, article: Article) -> Extraction:
    """The extraction of ``article`` in ``data``; CacheEntryError says what is wrong."""
    try:
        payload = unseal(data, _CACHE_HEADER)
    except ValueError as e:
        raise CacheEntryError(str(e)) from None
    try:
        p = json.loads(payload)
        if p["article"] != article.id:
            raise CacheEntryError("another article's extraction")
        table = []
        for row in p["table"]:
            if len(row) != len(_MENTION_TYPES) or any(
                    type(v) is not t for v, t in zip(row, _MENTION_TYPES)) \
                    or any(type(a) is not str for a in row[-1]):
                raise CacheEntryError("malformed mention")
            table.append(Mention(*row[:-1], tuple(row[-1])))
        mentions = [table[i] for i in p["mentions"]]
        relations = []
        for s, pred, o, rule, aid, sent in p["relations"]:
            if not (type(pred) is type(rule) is type(aid) is str and type(sent) is int):
                raise CacheEntryError("malformed relation")
            relations.append(Relation(table[s], pred, table[o], rule, aid, sent))
    except CacheEntryError:
        raise
    except (ValueError, TypeError, KeyError, IndexError) as e:
        raise CacheEntryError(f"malformed ({' '.join(str(e).split())[:80]})") from None
    return Extraction(article, mentions, relations)


@contextmanager
def worker_pool(jobs: int, extractor) -> Iterator:
    """Forked extraction workers (None for ``jobs`` <= 1). The segmenter is loaded here
    first: the workers share its model (copy-on-write) instead of each loading it."""
    if jobs <= 1:
        yield None
        return
    import multiprocessing  # only here: a build with one job never imports it

    extractor.segmenter  # loaded before the fork
    pool = multiprocessing.get_context("fork").Pool(jobs, _init_worker, (extractor,))
    try:
        yield pool
    finally:
        pool.terminate()
        pool.join()


def _article_key(article: Article, config_digest: str) -> str:
    # Every field but the path (a moved file keeps its cache): header fields such as
    # source or date reach the graph, so a cached article must not carry stale ones.
    h = hashlib.sha256()
    h.update(CACHE_VERSION.encode())
    h.update(config_digest.encode())
    h.update(json.dumps(astuple(replace(article, path="")), ensure_ascii=False).encode())
    return h.hexdigest()


# The modules whose code decides what is extracted from an article's text: a change to
# any of them (or to jieba) makes every cached extraction stale.
_EXTRACTION_MODULES = ("extract.py", "matcher.py", "segment.py", "viterbi.py", "rules.py",
                       "lexicon.py", "model.py", "ontology.py", "curated.py", "names.py",
                       "regexcache.py")


def _code_digest() -> str:
    h = hashlib.sha256()
    here = Path(__file__).parent
    for name in _EXTRACTION_MODULES:
        try:
            h.update(name.encode() + b"\0" + (here / name).read_bytes())
        except OSError:
            h.update(name.encode() + b"\0?")
    try:
        h.update(b"jieba " + version("jieba").encode())
    except PackageNotFoundError:
        pass
    return h.hexdigest()


def _load_cached(path: Path, article: Article,
                 warn: Callable[[str], None] = lambda m: None) -> Extraction | None:
    """The cached extraction of ``article``, or None if missing or unusable (never raises).
    A damaged entry is deleted, with a warning."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    try:
        return load_extraction(data, article)
    except CacheEntryError as e:
        warn(f"cached extraction of {article.id} ({path}) is damaged ({e}); extracting it again")
        try:
            path.unlink()
        except OSError:
            pass
        return None


def extract_sources(sources: list[Path], extractor, jobs: int = 1, use_cache: bool = True,
                    encoding: str | None = None, warn: Callable[[str], None] = lambda m: None,
                    progress: bool = False, engine=None
                    ) -> tuple[list[Article], list[Extraction], int]:
    """Read and extract the articles of ``sources``: (articles sorted by id, their
    extractions, how many were extracted rather than taken from the cache).

    Articles are read one at a time, and one not in the cache goes to extraction at
    once. With ``jobs`` > 1 the first of them starts the worker processes (no more
    than source files); the rest is read while they extract. The result does not
    depend on ``jobs``. ``engine`` extracts elsewhere instead (see ``_elsewhere``)."""
    files = discover(sources)
    config = extractor.rs.digest + extractor.lexicon.digest + _ontology_digest() + _code_digest()
    cdir = cache_dir()
    ids = ArticleIds()
    articles: dict[str, Article] = ids.by_id
    done: dict[str, Extraction] = {}
    sent: list[tuple[Article, int]] = []  # articles to extract, with how many files were read
    failed: list[Exception] = []  # a source that cannot be read

    def to_extract() -> Iterator[tuple[Article, Path | None]]:
        try:
            for n, f in enumerate(files, 1):
                art = read_article(f, encoding)
                if art is None:
                    warn(f"{f}: empty source, skipped")
                    continue
                if not any("\u4e00" <= c <= "\u9fff" for c in art.text):
                    warn(f"{f}: no Chinese text (kg reads Chinese articles): nothing to extract")
                ids.add(art)
                path = cdir / f"{_article_key(art, config)}{CACHE_SUFFIX}" if use_cache else None
                cached = _load_cached(path, art, warn) if path is not None else None
                if cached is not None:
                    done[art.id] = cached
                    continue
                sent.append((art, n))
                yield art, path
        except Exception as e:  # with workers this runs in a thread of the pool: raised below
            failed.append(e)

    tasks = to_extract()
    first = next(tasks, None)  # read up to the first article to extract
    if first is not None and not failed:
        with _progress(len(files), progress) as advance, \
                (engine(extractor) if engine is not None
                 else worker_pool(min(jobs, len(files)), extractor)) as pool:
            tasks = itertools.chain([first], tasks)
            if engine is not None:
                results = _elsewhere(pool, tasks)
            elif pool is None:
                results = (_extract_with(extractor, task) for task in tasks)
            else:  # one article per task: the last ones to finish decide the end
                results = pool.imap(_extract_one, tasks, chunksize=1)
            for i, (mentions, relations) in enumerate(results):
                if failed:  # a source after this one is bad: stop now
                    raise failed[0]
                art, n_read = sent[i]
                done[art.id] = Extraction(art, mentions, relations)
                advance(n_read)
    if failed:
        raise failed[0]
    if not articles:
        raise SourceError("no article with any text in " + ", ".join(str(p) for p in sources))
    ids = sorted(articles)
    return [articles[k] for k in ids], [done[k] for k in ids], len(sent)


def _elsewhere(extract_map, tasks) -> Iterator[tuple[list, list]]:
    """The results of another extraction engine, e.g. a Dask cluster (``kg.cluster``):
    ``engine(extractor)`` is a context manager giving ``extract_map(articles)``, which
    yields each article's (mentions, relations) in order. The cache is written here."""
    from collections import deque

    pending: deque = deque()

    def articles():
        for art, path in tasks:
            pending.append((art, path))
            yield art

    for mentions, relations in extract_map(articles()):
        art, path = pending.popleft()
        if path is not None:
            _store_cached(path, Extraction(art, mentions, relations))
        yield mentions, relations


@contextmanager
def _progress(total: int, enabled: bool):
    """``advance(n)``: n of ``total`` source files are done. A bar on stderr if it is
    a terminal, there are two files or more and ``enabled``."""
    if not enabled or total < 2 or not sys.stderr.isatty():
        yield lambda n: None
        return
    with click.progressbar(length=total, label="Extracting", file=sys.stderr) as bar:
        def advance(n: int) -> None:
            bar.update(n - bar.pos)
        yield advance
        advance(total)


def _ontology_digest() -> str:
    return hashlib.sha256(ontology.ONTOLOGY_FILE.read_bytes()).hexdigest()


def resolve_extractions(extractions: list[Extraction], aliases_path=None):
    """Entities and relations of all articles (``kg.resolve``)."""
    vocab = ontology.load()
    return resolve.resolve(extractions, vocab, resolve.load_aliases(aliases_path, vocab))


def graph_and_turtle(articles, entities, rels, whole: bool = True):
    """The graph and its Turtle (``kg.rdf.turtle``: the bytes of
    ``turtle(build_triples(...))``). Returns (graph, Turtle text, number of triples, the
    statements not in the graph): the graph lacks the reified statements unless
    ``whole`` (pages need them, not kg.ttl)."""
    statements = rdf.statements_of(entities, rels)
    g = rdf.assertions(articles, entities, statements)
    text, count = rdf.turtle(g, statements)
    if whole:
        rdf.add_statements(g, statements)
    return g, text, count, [] if whole else statements


@contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector. A build makes millions of small tuples
    (tokens, terms, triples) that live to its end and hold no cycles: the collector
    would walk them again and again and free nothing (measured: a third of the time
    to build and write the graph of the 100x benchmark corpus)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def build(sources: list[Path], out_dir: Path = Path("outputs"), jobs: int = 1, rules_dir=None,
          lexicon_path=None, encoding=None, use_cache: bool = True, store: str | None = None,
          warn: Callable[[str], None] = lambda m: None, pages: bool = True,
          single_file: bool = False, engine=None) -> Summary:
    """``engine``: extract elsewhere, e.g. ``kg.cluster.dask_engine(address)``."""
    with _collector_paused():
        return _build(sources, out_dir, jobs, rules_dir, lexicon_path, encoding, use_cache, store,
                      warn, pages, single_file, engine)


def _build(sources, out_dir, jobs, rules_dir, lexicon_path, encoding, use_cache, store, warn,
           pages, single_file=False, engine=None) -> Summary:
    t0 = time.perf_counter()
    # a bad --store or an unusable output folder fails before any extraction
    in_memory = store_mod.check_spec(store).kind == "memory"
    out_dir = Path(out_dir)
    check_out_dir(out_dir)
    with outdir.locked(out_dir):
        outdir.tidy(out_dir, warn)
        outdir.refuse_foreign(out_dir)  # before any work: a build never removes a user's file
        extractor = load_extractor(rules_dir, lexicon_path)
        articles, extractions, n_extracted = extract_sources(
            sources, extractor, jobs=jobs, use_cache=use_cache, encoding=encoding, warn=warn,
            progress=True, engine=engine)
        entities, rels = resolve_extractions(extractions)
        # Most triples are reified statements: never gathered as triples (the pages are
        # drawn from the records); a store gets them one statement at a time.
        graph, turtle, n_triples, rest = graph_and_turtle(articles, entities, rels, whole=False)
        summary = Summary(articles=len(articles),
                          sentences=sum(len(a.sentences) for a in articles),
                          characters=sum(len(a.text) for a in articles), extracted=n_extracted)
        summary.entities = Counter(ontology.load().core(e.cls) for e in entities)
        # relations as the graph holds them: one per (subject, predicate, object), however
        # many sentences state it (as kg stats and the page count them)
        summary.relations = Counter(p for _, p, _ in {(a.key, p, b.key) for a, p, b, _ in rels})
        summary.triples = n_triples
        more = () if in_memory else rdf.statement_triples(rest)
        records = None
        if pages:
            from .pages import Records  # imported by builds with pages only (a fiftieth of a second)

            records = Records(articles, entities, rels, single_file=single_file)
        with store_mod.persisted(graph, store, more) as stored, outdir.staged(out_dir) as staging:
            written = write_outputs(stored, staging, turtle=turtle, pages=records)
        summary.files = [out_dir / p.relative_to(staging) for p in written]
    summary.seconds = time.perf_counter() - t0
    return summary


def check_out_dir(out_dir: Path) -> None:
    """Fail early, without creating anything, if ``out_dir`` cannot become a folder."""
    probe = out_dir
    while not probe.exists() and probe.parent != probe:
        probe = probe.parent
    if not probe.is_dir():
        raise OutputError(f"cannot write to {out_dir}: Not a directory")
    if not os.access(probe, os.W_OK | os.X_OK):
        raise OutputError(f"cannot write to {out_dir}: Permission denied")


def write_outputs(graph, out_dir: Path, turtle: str, pages=None) -> list[Path]:
    """kg.ttl (``turtle``: the graph's Turtle, made by ``graph_and_turtle``) and the
    pages (``pages``: the build's ``kg.pages.Records``, if any)."""
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"output path {out_dir} is not a folder")
    ttl = out_dir / "kg.ttl"
    atomic_write(ttl, turtle)
    files = [ttl]
    if pages:
        from .pages import write_pages

        files += write_pages(out_dir, pages)
    return files
