"""`kg push`: SPARQL 1.1 Graph Store HTTP Protocol, against a real Oxigraph server
(fixture ``oxigraph_server`` in conftest.py) and against a tiny local HTTP server that
records what it receives. Only loopback addresses are used."""

from __future__ import annotations

import base64
import http.server
import json
import socket
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

from kg.cli import main
from kg.errors import GraphError, PushError
from kg.push import push

MINI = Path(__file__).parent / "data" / "mini.ttl"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
BANK = "https://w3id.org/kg-zh/id/institution-7d126eb4c850"  # rdfs:label "网商银行"@zh in mini.ttl
SECRETS = ("alice", "s3cret-pässword", "tok-9f8e7d")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch):
    """No proxy (the servers are on loopback) and no credentials unless a test sets them."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    for name in ("KG_PUSH_USER", "KG_PUSH_PASSWORD", "KG_PUSH_TOKEN"):
        monkeypatch.delenv(name, raising=False)


def write_ttl(path: Path, label: str, subject: str = "https://example.org/id/thing") -> Path:
    path.write_text(f'<{subject}> <{RDFS}label> "{label}"@zh .\n', encoding="utf-8")
    return path


def sparql(base_url: str, query: str, accept: str = "application/sparql-results+json") -> bytes:
    url = f"{base_url}/query?" + urllib.parse.urlencode({"query": query})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(urllib.request.Request(url, headers={"Accept": accept}), timeout=10) as r:
        return r.read()


def ask(base_url: str, query: str) -> bool:
    return json.loads(sparql(base_url, query))["boolean"]


def graph_on_server(base_url: str, graph_iri: str) -> rdflib.Graph:
    query = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph_iri}> {{ ?s ?p ?o }} }}"
    data = sparql(base_url, query, accept="application/n-triples")
    return rdflib.Graph().parse(data=data, format="nt")


def closed_port() -> int:
    """A loopback port nobody listens on (bound then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ------------------------------------------------------------ real Oxigraph server
def test_push_named_graph_round_trips(oxigraph_server):
    iri = "https://example.org/graph/round-trip"
    store = f"{oxigraph_server}/store"

    summary = push(MINI, store, graph_iri=iri)

    expected = rdflib.Graph().parse(MINI)
    assert summary == f"Pushed {len(expected)} triples to {store} (graph <{iri}>): HTTP 201 Created"
    assert ask(oxigraph_server, f'ASK {{ GRAPH <{iri}> {{ <{BANK}> <{RDFS}label> "网商银行"@zh }} }}')
    assert isomorphic(graph_on_server(oxigraph_server, iri), expected)


def test_push_of_a_folder_that_kg_build_wrote_sends_its_kg_ttl(oxigraph_server, tmp_path):
    iri = "https://example.org/graph/built-folder"
    store = f"{oxigraph_server}/store"
    (tmp_path / "built").mkdir()
    (tmp_path / "built" / "kg.ttl").write_bytes(MINI.read_bytes())

    result = CliRunner().invoke(main, ["push", "--endpoint", store, "--graph-iri", iri,
                                       "--graph", str(tmp_path / "built")])

    expected = rdflib.Graph().parse(MINI)
    assert result.exit_code == 0, result.output
    assert result.output == f"Pushed {len(expected)} triples to {store} (graph <{iri}>): HTTP 201 Created\n"
    assert isomorphic(graph_on_server(oxigraph_server, iri), expected)


def test_second_push_replaces_the_named_graph(oxigraph_server, tmp_path):
    iri = "https://example.org/graph/replaced"
    store = f"{oxigraph_server}/store"
    push(MINI, store, graph_iri=iri)
    smaller = write_ttl(tmp_path / "small.ttl", "新图")

    summary = push(smaller, store, graph_iri=iri)

    assert summary == f"Pushed 1 triple to {store} (graph <{iri}>): HTTP 204 No Content"
    assert not ask(oxigraph_server, f'ASK {{ GRAPH <{iri}> {{ ?e <{RDFS}label> "网商银行"@zh }} }}')
    assert isomorphic(graph_on_server(oxigraph_server, iri), rdflib.Graph().parse(smaller))


def test_push_leaves_other_graphs_alone(oxigraph_server, tmp_path):
    store = f"{oxigraph_server}/store"
    kept, replaced = "https://example.org/graph/kept", "https://example.org/graph/other"
    push(write_ttl(tmp_path / "a.ttl", "留下"), store, graph_iri=kept)

    push(write_ttl(tmp_path / "b.ttl", "另一个"), store, graph_iri=replaced)

    assert ask(oxigraph_server, f'ASK {{ GRAPH <{kept}> {{ ?e <{RDFS}label> "留下"@zh }} }}')


def test_cli_push_to_default_graph(oxigraph_server, tmp_path):
    store = f"{oxigraph_server}/store"
    graph = write_ttl(tmp_path / "default.ttl", "默认图", subject="https://example.org/id/default")

    result = CliRunner().invoke(main, ["push", "--endpoint", store, "--graph", str(graph)])

    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Pushed 1 triple to {store} (default graph): HTTP 2")
    triple = f'<https://example.org/id/default> <{RDFS}label> "默认图"@zh'
    assert ask(oxigraph_server, f"ASK {{ {triple} }}")
    assert not ask(oxigraph_server, f"ASK {{ GRAPH ?g {{ {triple} }} }}")


def test_cli_wrong_path_is_a_one_line_404(oxigraph_server):
    endpoint = f"{oxigraph_server}/nope"

    result = CliRunner().invoke(main, ["push", "--endpoint", endpoint, "--graph", str(MINI),
                                       "--graph-iri", "https://example.org/graph/x"])

    assert result.exit_code == 1
    assert result.output == (f"Error: push to {endpoint} failed: HTTP 404 Not Found: "
                             "PUT /nope is not supported by this server\n")


# ------------------------------------------------------------ unreachable endpoints
def test_cli_unreachable_port_is_a_one_line_error():
    endpoint = f"http://127.0.0.1:{closed_port()}/store"

    result = CliRunner().invoke(main, ["push", "--endpoint", endpoint, "--graph", str(MINI)])

    assert result.exit_code == 1
    assert result.output == f"Error: cannot reach {endpoint}: connection refused\n"


def test_silent_server_times_out():
    with socket.socket() as listener:  # accepts connections (backlog) but never answers
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        endpoint = f"http://127.0.0.1:{listener.getsockname()[1]}/store"

        result = CliRunner().invoke(main, ["push", "--endpoint", endpoint, "--graph", str(MINI),
                                           "--timeout", "0.5"])

    assert result.exit_code == 1
    assert result.output == f"Error: cannot reach {endpoint}: no answer within 0.5 s\n"


def test_unknown_host_name(monkeypatch):
    def no_such_host(*args, **kwargs):
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
    with pytest.raises(PushError) as e:
        push(MINI, "http://kg-store.invalid:7878/store")
    assert str(e.value) == "cannot reach http://kg-store.invalid:7878/store: host name not found"


# ------------------------------------------------------------ a recording HTTP server
class Recorder:
    """A loopback HTTP server that records each request and answers as told."""

    def __init__(self):
        self.requests = []
        self.answer = (201, {}, b"")
        recorder = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_PUT(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                recorder.requests.append({"method": "PUT", "path": self.path,
                                          "headers": dict(self.headers), "body": body})
                status, headers, payload = recorder.answer
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       kwargs={"poll_interval": 0.05}, daemon=True)


@pytest.fixture
def recorder():
    r = Recorder()
    r.thread.start()
    yield r
    r.server.shutdown()
    r.server.server_close()
    r.thread.join(timeout=5)


def test_request_is_a_graph_store_put(recorder):
    push(MINI, f"{recorder.url}/ds/data", graph_iri="urn:kg:图")

    (request,) = recorder.requests
    assert request["path"] == "/ds/data?graph=urn%3Akg%3A%E5%9B%BE"
    assert request["headers"]["Content-Type"] == "text/turtle"
    assert request["body"] == MINI.read_bytes()
    assert "Authorization" not in request["headers"]


def test_other_formats_are_sent_as_n_triples(recorder, tmp_path):
    rdfxml = tmp_path / "mini.rdf"
    rdflib.Graph().parse(MINI).serialize(rdfxml, format="xml")

    push(rdfxml, f"{recorder.url}/store")

    (request,) = recorder.requests
    assert request["path"] == "/store?default"
    assert request["headers"]["Content-Type"] == "application/n-triples"
    sent = rdflib.Graph().parse(data=request["body"], format="nt")
    assert isomorphic(sent, rdflib.Graph().parse(MINI))


@pytest.mark.parametrize("env, authorization", [
    ({"KG_PUSH_USER": "alice", "KG_PUSH_PASSWORD": "s3cret-pässword"},
     "Basic " + base64.b64encode("alice:s3cret-pässword".encode()).decode()),
    ({"KG_PUSH_TOKEN": "tok-9f8e7d"}, "Bearer tok-9f8e7d"),
], ids=["basic", "bearer"])
def test_credentials_come_from_the_environment(recorder, monkeypatch, env, authorization):
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    result = CliRunner().invoke(main, ["push", "--endpoint", f"{recorder.url}/store",
                                       "--graph", str(MINI)])

    assert result.exit_code == 0, result.output
    (request,) = recorder.requests
    assert request["headers"]["Authorization"] == authorization
    assert not any(secret in result.output for secret in SECRETS)


@pytest.mark.parametrize("status, headers, body, expected", [
    (500, {}, b"boom: disk full\nat line 3", "HTTP 500 Internal Server Error: boom: disk full"),
    (503, {"Content-Type": "text/html"}, b"<html><body>down</body></html>",
     "HTTP 503 Service Unavailable"),
    (400, {}, b"x" * 500, "HTTP 400 Bad Request: " + "x" * 199 + "…"),
    (401, {}, b"", "HTTP 401 Unauthorized (check KG_PUSH_USER/KG_PUSH_PASSWORD or KG_PUSH_TOKEN)"),
    (308, {"Location": "https://example.org/store"}, b"",
     "HTTP 308 Permanent Redirect (the server redirects to https://example.org/store; "
     "use that URL)"),
    (500, {}, "\x1b]0;pwned\x07\x1b[2J\x1b[31mred\x1b[0m\x9b1m\u202e".encode("utf-8"),
     "HTTP 500 Internal Server Error: \\x1b]0;pwned\\x07\\x1b[2J\\x1b[31mred\\x1b[0m\\x9b1m\\u202e"),
], ids=["500-first-line", "503-html-dropped", "400-truncated", "401-hint", "308-redirect",
        "terminal-escapes"])
def test_http_errors_are_one_line(recorder, status, headers, body, expected):
    recorder.answer = (status, headers, body)
    endpoint = f"{recorder.url}/store"

    result = CliRunner().invoke(main, ["push", "--endpoint", endpoint, "--graph", str(MINI)])

    assert result.exit_code == 1
    assert result.output == f"Error: push to {endpoint} failed: {expected}\n"


def test_secrets_are_not_echoed_on_failure(recorder, monkeypatch):
    monkeypatch.setenv("KG_PUSH_USER", "alice")
    monkeypatch.setenv("KG_PUSH_PASSWORD", "s3cret-pässword")
    recorder.answer = (403, {}, b"forbidden")

    result = CliRunner().invoke(main, ["push", "--endpoint", f"{recorder.url}/store",
                                       "--graph", str(MINI)])

    assert result.exit_code == 1
    assert not any(secret in result.output for secret in SECRETS)


# ------------------------------------------------------------ refused before any request
@pytest.mark.parametrize("env, message", [
    ({"KG_PUSH_TOKEN": "tok-9f8e7d", "KG_PUSH_USER": "alice"},
     "set either KG_PUSH_TOKEN or KG_PUSH_USER/KG_PUSH_PASSWORD, not both"),
    ({"KG_PUSH_USER": "alice"},
     "KG_PUSH_PASSWORD is not set (HTTP Basic auth needs KG_PUSH_USER and KG_PUSH_PASSWORD)"),
    ({"KG_PUSH_PASSWORD": "s3cret-pässword"},
     "KG_PUSH_USER is not set (HTTP Basic auth needs KG_PUSH_USER and KG_PUSH_PASSWORD)"),
], ids=["token-and-user", "no-password", "no-user"])
def test_incomplete_credentials(recorder, monkeypatch, env, message):
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(PushError) as e:
        push(MINI, f"{recorder.url}/store")
    assert str(e.value) == message
    assert recorder.requests == []


@pytest.mark.parametrize("endpoint, graph_iri, message", [
    ("ftp://127.0.0.1/store", None,
     "endpoint must be an http:// or https:// URL with a host, not 'ftp://127.0.0.1/store'"),
    ("127.0.0.1:7878/store", None,
     "endpoint must be an http:// or https:// URL with a host, not '127.0.0.1:7878/store'"),
    ("http:///store", None,
     "endpoint must be an http:// or https:// URL with a host, not 'http:///store'"),
    ("http://127.0.0.1:port/store", None,
     "bad endpoint URL 'http://127.0.0.1:port/store': "
     "Port could not be cast to integer value as 'port'"),
    ("http://alice:s3cret-pässword@127.0.0.1/store", None,
     "credentials in the endpoint URL are refused; set KG_PUSH_USER and KG_PUSH_PASSWORD "
     "(or KG_PUSH_TOKEN) in the environment instead"),
    ("http://127.0.0.1/store", "graph/kg",
     "graph IRI must be an absolute IRI such as https://example.org/graph/kg, not 'graph/kg'"),
    ("http://127.0.0.1/store?graph=urn:a", "urn:b",
     "the endpoint URL already names a graph; drop it from the URL or drop --graph-iri"),
], ids=["ftp", "no-scheme", "no-host", "bad-port", "userinfo", "relative-iri", "graph-twice"])
def test_bad_endpoint_or_graph_iri(endpoint, graph_iri, message):
    with pytest.raises(PushError) as e:
        push(MINI, endpoint, graph_iri=graph_iri)
    assert str(e.value) == message


@pytest.mark.parametrize("name, content, message", [
    ("missing.ttl", None, "graph file not found: {path} (run `kg build` first?)"),
    ("broken.ttl", "<https://example.org/a> <https://example.org/b> .\n",
     "cannot parse {path} as Turtle: line 1, column 49: . is not a valid RDF object"),
    ("data.trig", "", "{path} holds a dataset; push takes one graph "
                      "(Turtle, N-Triples, RDF/XML or JSON-LD)"),
    ("data.jsonld", '{"@id": "https://example.org/g", "@graph": [{"@id": "https://example.org/a", '
                    '"https://example.org/b": {"@id": "https://example.org/c"}}]}',
     "{path} holds a dataset; push takes one graph (Turtle, N-Triples, RDF/XML or JSON-LD)"),
], ids=["missing", "unparsable", "dataset", "json-ld-dataset"])
def test_bad_graph_file(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    endpoint = f"http://127.0.0.1:{closed_port()}/store"  # never reached

    result = CliRunner().invoke(main, ["push", "--endpoint", endpoint, "--graph", str(path)])

    assert result.exit_code == 1
    assert result.output.startswith("Error: " + message.format(path=path))
    assert result.output.count("\n") == 1


def test_bad_graph_file_is_a_graph_error(tmp_path):
    with pytest.raises(GraphError):
        push(tmp_path / "missing.ttl", "http://127.0.0.1:9/store")


def test_cli_refuses_a_non_positive_timeout():
    result = CliRunner().invoke(main, ["push", "--endpoint", "http://127.0.0.1/store",
                                       "--timeout", "0"])
    assert result.exit_code == 2
    assert "--timeout" in result.output


def test_push_does_not_import_jieba():
    code = ("import sys; from kg.push import push\n"
            "try:\n    push(sys.argv[1], 'http://127.0.0.1:9/store', timeout=2)\n"
            "except Exception:\n    pass\n"
            "print('jieba' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code, str(MINI)], capture_output=True,
                         text=True, timeout=60, check=True).stdout
    assert out.strip() == "False"
