"""Push a graph file into a SPARQL 1.1 Graph Store HTTP Protocol endpoint.

``PUT endpoint?graph=IRI`` replaces the named graph (``PUT endpoint?default`` the default
graph) with the triples of the file. Turtle and N-Triples files are streamed as they are;
other RDF formats are converted to N-Triples first. The file is parsed once locally (a
streaming parse, nothing is held in memory) so that a broken file is reported before
anything is sent and the summary can say how many triples went out.

Credentials come only from the environment, never from the command line:
``KG_PUSH_TOKEN`` (HTTP ``Authorization: Bearer``) or ``KG_PUSH_USER`` and
``KG_PUSH_PASSWORD`` (HTTP Basic). They are never printed.
"""

from __future__ import annotations

import base64
import http.client
import os
import socket
import ssl
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from .errors import GraphError, PushError, counted
from .fileio import cannot_parse, graph_format, graph_input, syntax_error_text, xml_error

ENV_USER = "KG_PUSH_USER"
ENV_PASSWORD = "KG_PUSH_PASSWORD"
ENV_TOKEN = "KG_PUSH_TOKEN"

# file extension -> (pyoxigraph format name, media type to send, send the bytes as they are)
_FORMATS = {
    ".ttl": ("TURTLE", "text/turtle", True),
    ".turtle": ("TURTLE", "text/turtle", True),
    ".nt": ("N_TRIPLES", "application/n-triples", True),
    ".rdf": ("RDF_XML", "application/n-triples", False),
    ".owl": ("RDF_XML", "application/n-triples", False),
    ".xml": ("RDF_XML", "application/n-triples", False),
    ".jsonld": ("JSON_LD", "application/n-triples", False),
    ".json": ("JSON_LD", "application/n-triples", False),
    ".n3": ("N3", "application/n-triples", False),
}
_DATASET_SUFFIXES = {".trig", ".nq"}
_MAX_DETAIL = 200  # characters of an error body worth showing on one line


def push(graph_path: str | Path, endpoint: str, graph_iri: str | None = None,
         timeout: float = 30.0) -> str:
    """Replace a graph of the Graph Store at ``endpoint`` with the triples of ``graph_path``.

    Returns a one-line summary; raises PushError (or GraphError for the file).
    """
    url, where = _target_url(endpoint, graph_iri)
    if not timeout > 0:
        raise PushError(f"timeout must be a positive number of seconds, not {timeout:g}")
    from .shards import SHARDS_FOLDER

    headers = _auth_headers()
    path = graph_input(graph_path, (SHARDS_FOLDER,))
    if path.is_dir():
        return _push_shards(path, url, endpoint, where, headers, timeout)
    body, media_type, size, count = _read_body(path)
    status, reason = _send("PUT", url, body, media_type, size, headers, endpoint, timeout)
    return f"Pushed {counted(count, 'triple')} to {endpoint} ({where}): HTTP {status} {reason}".rstrip()


def _push_shards(folder: Path, url: str, endpoint: str, where: str, headers: dict,
                 timeout: float) -> str:
    """The shards of ``kg build --shards`` (``folder``): the first replaces the graph
    (PUT), the others are added to it (POST). Every shard is checked before any is sent."""
    from .shards import shard_files

    paths = shard_files(folder)
    if not paths:
        raise GraphError(f"{folder} is a folder with no shards (kg-*.nt from "
                         f"`kg build --shards {folder}`)")
    checked = []
    for path in paths:  # parse all first: a broken shard sends nothing
        body, media_type, size, n = _read_body(path)
        body.close()
        checked.append((path, media_type, size, n))
    count = 0
    for i, (path, media_type, size, n) in enumerate(checked):
        status, reason = _send("PUT" if i == 0 else "POST", url, open(path, "rb"), media_type,
                               size, headers, endpoint, timeout, done=i)
        count += n
    return (f"Pushed {counted(count, 'triple')} from {counted(len(paths), 'shard')} to {endpoint} ({where}): "
            f"HTTP {status} {reason}").rstrip()


def _send(method: str, url: str, body, media_type: str, size: int, headers: dict,
          endpoint: str, timeout: float, done: int = 0) -> tuple[int, str]:
    """Send one request; (status, reason) or a PushError (which says how many shards
    were sent already, when ``done``)."""
    headers = {**headers, "Content-Type": media_type, "Content-Length": str(size)}
    request = urllib.request.Request(url, data=body, method=method, headers=headers)
    after = (f" (after {counted(done, 'shard')} {'was' if done == 1 else 'were'} sent; push again)"
             if done else "")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read(64 * 1024)
            return response.status, response.reason
    except urllib.error.HTTPError as e:
        raise PushError(_http_failure(endpoint, e) + after) from e
    except urllib.error.URLError as e:
        raise PushError(f"cannot reach {endpoint}: {_why(e.reason, timeout)}{after}") from e
    except (OSError, http.client.HTTPException) as e:
        raise PushError(f"cannot reach {endpoint}: {_why(e, timeout)}{after}") from e
    finally:
        if hasattr(body, "close"):
            body.close()


# ------------------------------------------------------------------ request parts
def _target_url(endpoint: str, graph_iri: str | None) -> tuple[str, str]:
    """The PUT URL (the endpoint plus ``graph=IRI`` or ``default``) and its graph in words."""
    try:
        parts = urllib.parse.urlsplit(endpoint)
    except ValueError as e:
        raise PushError(f"bad endpoint URL {endpoint!r}: {e}") from e
    if "@" in parts.netloc:
        # Checked first, and the URL is not echoed: it may hold a secret.
        raise PushError(f"credentials in the endpoint URL are refused; set {ENV_USER} and "
                        f"{ENV_PASSWORD} (or {ENV_TOKEN}) in the environment instead")
    try:
        parts.port  # noqa: B018 -- raises ValueError on a bad port
    except ValueError as e:
        raise PushError(f"bad endpoint URL {endpoint!r}: {e}") from e
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise PushError(f"endpoint must be an http:// or https:// URL with a host, "
                        f"not {endpoint!r}")
    params = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
    if "graph" in params or "default" in params:
        if graph_iri is not None:
            raise PushError("the endpoint URL already names a graph; drop it from the URL "
                            "or drop --graph-iri")
        named = params.get("graph", [""])[0]
        return endpoint, (f"graph <{named}>" if named else "default graph")
    if graph_iri is not None:
        _check_iri(graph_iri)
        extra = urllib.parse.urlencode({"graph": graph_iri}, quote_via=urllib.parse.quote)
    else:
        extra = "default"
    query = f"{parts.query}&{extra}" if parts.query else extra
    where = f"graph <{graph_iri}>" if graph_iri is not None else "default graph"
    return urllib.parse.urlunsplit(parts._replace(query=query)), where


def _check_iri(iri: str) -> None:
    from pyoxigraph import NamedNode

    try:
        NamedNode(iri)
        ok = bool(urllib.parse.urlsplit(iri).scheme)
    except ValueError:
        ok = False
    if not ok:
        raise PushError(f"graph IRI must be an absolute IRI such as "
                        f"https://example.org/graph/kg, not {iri!r}")


def _auth_headers() -> dict[str, str]:
    token = os.environ.get(ENV_TOKEN)
    user = os.environ.get(ENV_USER)
    password = os.environ.get(ENV_PASSWORD)
    if token and (user or password):
        raise PushError(f"set either {ENV_TOKEN} or {ENV_USER}/{ENV_PASSWORD}, not both")
    if token:
        return {"Authorization": f"Bearer {token}"}
    if user is None and password is None:
        return {}
    if not user or password is None:
        missing = ENV_PASSWORD if password is None else ENV_USER
        raise PushError(f"{missing} is not set (HTTP Basic auth needs {ENV_USER} and "
                        f"{ENV_PASSWORD})")
    if ":" in user:
        raise PushError(f"{ENV_USER} must not contain ':' (HTTP Basic auth)")
    pair = base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")
    return {"Authorization": f"Basic {pair}"}


def _read_body(path: Path):
    """(body, media type, size in bytes, triple count); a broken file is a GraphError."""
    import pyoxigraph

    if not path.is_file():
        raise GraphError(f"graph file not found: {path} (run `kg build` first?)")
    graph_format(path)  # a file of another kind (graph.html) is refused as every command does
    suffix = path.suffix.lower()
    dataset = GraphError(f"{path} holds a dataset; push takes one graph "
                         f"(Turtle, N-Triples, RDF/XML or JSON-LD)")
    if suffix in _DATASET_SUFFIXES:
        raise dataset
    fmt_name, media_type, as_is = _FORMATS.get(suffix, _FORMATS[".ttl"])
    fmt = getattr(pyoxigraph.RdfFormat, fmt_name)
    if fmt == pyoxigraph.RdfFormat.RDF_XML and (problem := xml_error(path)):
        raise cannot_parse(path, fmt.name, problem)
    try:
        if as_is:
            count = sum(1 for _ in pyoxigraph.parse(path=path, format=fmt,
                                                    without_named_graphs=True))
            return open(path, "rb"), media_type, path.stat().st_size, count
        count = 0

        def counting():  # the triples, counted as they are serialised
            nonlocal count
            for quad in pyoxigraph.parse(path=path, format=fmt):
                if not isinstance(quad.graph_name, pyoxigraph.DefaultGraph):
                    raise dataset  # JSON-LD with named graphs
                count += 1
                yield quad.triple

        data = pyoxigraph.serialize(counting(), format=pyoxigraph.RdfFormat.N_TRIPLES)
        return data, media_type, len(data), count
    except SyntaxError as e:
        raise cannot_parse(path, fmt.name, syntax_error_text(e, path)) from e
    except OSError as e:
        raise GraphError(f"cannot read {path}: {e.strerror or e}") from e


# ------------------------------------------------------------------ error messages
def _http_failure(endpoint: str, e: urllib.error.HTTPError) -> str:
    message = f"push to {endpoint} failed: HTTP {e.code} {e.reason}".rstrip()
    try:
        raw = e.read(4096)
    except (OSError, http.client.HTTPException):
        raw = b""
    finally:
        e.close()
    detail = _first_line(raw)
    if detail:
        message += f": {detail}"
    if 300 <= e.code < 400 and e.headers.get("Location"):
        message += f" (the server redirects to {e.headers['Location']}; use that URL)"
    elif e.code in (401, 403):
        message += f" (check {ENV_USER}/{ENV_PASSWORD} or {ENV_TOKEN})"
    return message


def _first_line(raw: bytes) -> str:
    text = raw.decode("utf-8", "replace").strip()
    if not text or text.startswith("<"):  # nothing, or an HTML page: not worth a line
        return ""
    line = _printable(text.splitlines()[0]).strip()
    return line if len(line) <= _MAX_DETAIL else line[:_MAX_DETAIL - 1] + "…"


def _printable(text: str) -> str:
    """``text`` with terminal escapes and other control characters shown, not obeyed
    (a server's body must not move the cursor, recolour or retitle the terminal)."""
    import unicodedata

    return "".join(ch if ch == " " or unicodedata.category(ch)[0] not in "CZ"
                   else "\\x%02x" % ord(ch) if ord(ch) < 256 else "\\u%04x" % ord(ch)
                   for ch in text)


def _why(reason, timeout: float) -> str:
    """A few words on why a connection failed."""
    if isinstance(reason, TimeoutError):
        return f"no answer within {timeout:g} s"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return "host name not found"
    if isinstance(reason, ssl.SSLError):
        return f"TLS error: {getattr(reason, 'reason', None) or reason}"
    if isinstance(reason, ConnectionResetError):  # includes http.client.RemoteDisconnected
        return "the server closed the connection"
    if isinstance(reason, BrokenPipeError):
        return "the server closed the connection while the graph was being sent"
    if isinstance(reason, http.client.HTTPException):
        return f"not an HTTP answer ({type(reason).__name__})"
    if isinstance(reason, OSError):
        return reason.strerror or str(reason) or type(reason).__name__
    return str(reason)
