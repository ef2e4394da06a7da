"""Atomic output writing and graph loading shared by all commands."""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .errors import GraphError, OutputError

DEFAULT_GRAPH = Path("outputs") / "kg.ttl"


def cache_root() -> Path:
    """Where kg keeps its caches: $KG_CACHE_DIR, else $XDG_CACHE_HOME/kg or ~/.cache/kg."""
    base = os.environ.get("KG_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "kg")
    return Path(base)


@contextmanager
def atomic_open(path: str | Path, mode: str = "w"):
    """Open a temporary file beside ``path``; rename it over ``path`` on success.

    A crash or kill midway leaves the previous file whole.
    """
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as e:
        raise OutputError(f"cannot write to {path.parent}: {e.strerror or e}") from e
    try:
        kwargs = {} if "b" in mode else {"encoding": "utf-8", "newline": "\n"}
        with os.fdopen(fd, mode, **kwargs) as f:
            yield f
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def atomic_write(path: str | Path, data: str | bytes) -> None:
    with atomic_open(path, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)


def load_graph(path: str | Path = DEFAULT_GRAPH, fmt: str | None = None):
    """Parse an RDF file into an rdflib Graph, with a one-line error on failure."""
    import rdflib
    from rdflib.util import guess_format

    path = Path(path)
    if not path.is_file():
        raise GraphError(f"graph file not found: {path} (run `kg build` first?)")
    g = rdflib.Graph()
    try:
        g.parse(path, format=fmt or guess_format(str(path)) or "turtle")
    except Exception as e:  # parser errors come in many classes
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise GraphError(f"cannot parse {path}: {first}") from e
    return g
