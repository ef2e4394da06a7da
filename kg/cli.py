"""The ``kg`` command line: each command reads options, calls one library
function and prints. Library errors (KgError) become one ``Error: ...`` line.

Each command imports its library module inside its function: the modules behind the
commands import jieba, rdflib, networkx or pyshacl, and a command (or ``kg --help``)
loads only what it uses (``kg query`` never loads jieba, a build without pages never
loads rdflib)."""

from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

import click

from .errors import DataFileError, KgError, counted
from .fileio import DEFAULT_GRAPH, graph_input, is_stream


def handle_errors(fn):
    """Turn library errors into ``Error: ...`` and a non-zero exit."""

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except DataFileError as e:
            raise click.ClickException(one_line(e)) from e
        except KgError as e:
            raise click.ClickException(str(e)) from e
        except KeyboardInterrupt:
            raise click.Abort() from None
        except BrokenPipeError:  # `kg query ... | head`: the reader has gone, stop quietly
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(1)

    return wrapper


class InputPath(click.Path):
    """An input file; ``-`` is stdin (checked when read: regular file, bounded size)."""

    def __init__(self):
        super().__init__(dir_okay=True, allow_dash=True, path_type=Path)


class OutputPath(click.Path):
    """An output file or folder path: never empty; ``-`` is stdout for files."""

    def __init__(self, file: bool = True):
        super().__init__(file_okay=file, dir_okay=not file, allow_dash=file, path_type=Path)

    def convert(self, value, param, ctx):
        if isinstance(value, str) and not value.strip():
            self.fail("an empty path (give a file or folder name)", param, ctx)
        return super().convert(value, param, ctx)


class GraphPath(click.Path):
    """``--graph``: a graph file, or a folder that kg build wrote, read as its kg.ttl (so
    that messages name the file); ``folders`` names the other folders the command reads
    as they are ("store": an Oxigraph store, "shards": kg build --shards). Any other
    folder is one ``Error: ...`` line."""

    def __init__(self, folders: tuple[str, ...] = ()):
        super().__init__(path_type=Path)
        self.folders = folders

    def convert(self, value, param, ctx):
        path = super().convert(value, param, ctx)
        kinds = []
        if "store" in self.folders:
            from .store import STORE_FOLDER

            kinds.append(STORE_FOLDER)
        if "shards" in self.folders:
            from .shards import SHARDS_FOLDER

            kinds.append(SHARDS_FOLDER)
        try:
            return graph_input(path, tuple(kinds))
        except KgError as e:
            raise click.ClickException(str(e)) from None


def one_line(e: DataFileError) -> str:
    """The first problem of a data file, and how many more there are."""
    if len(e.problems) <= 1:
        return str(e)
    return (f"{e.problems[0]} (and {counted(len(e.problems) - 1, 'more problem')}: "
            "`kg rules check` lists them all)")


def curated_options(fn):
    """--rules and --lexicon, on every command that loads the curated data."""
    fn = click.option("--lexicon", "lexicon_path", type=click.Path(path_type=Path), default=None,
                      help="Lexicon file or folder replacing ontology/lexicon/.")(fn)
    return click.option("--rules", "rules_dir", type=click.Path(path_type=Path), default=None,
                        help="Folder (or file) of rule files replacing ontology/rules/.")(fn)


def out_file_option(what: str, beside: str | None = None):
    """--out; ``beside``: the file name it defaults to, in the folder of the graph read
    (see ``out_beside_graph``), else it is required."""
    where = f"; default: {beside} beside the graph" if beside else ""
    return click.option("--out", "out_path", type=OutputPath(), default=None,
                        required=beside is None,
                        help=f"File to write {what} to (- writes to stdout; missing folders "
                        f"are created{where}).")


def out_beside_graph(out_path: Path | None, graph_path: Path, name: str) -> Path:
    """The --out given, else the file ``name`` in the folder of the graph (a graph
    elsewhere never writes into ./outputs); a graph read from a stream needs --out."""
    if out_path is not None:
        return out_path
    if is_stream(graph_path):
        raise click.ClickException(f"give --out: the graph is read from {graph_path}, "
                                   "which has no folder to write beside")
    return graph_path.parent / name


class SingleOption(click.Option):
    """A single-valued option given twice is an error (click would keep the last one
    silently): parsed as a repeatable option, then checked to be given at most once."""

    def __init__(self, *args, **kwargs):
        default = kwargs.get("default")
        kwargs["multiple"] = True
        kwargs["default"] = () if default is None else (default,)
        super().__init__(*args, **kwargs)

    def process_value(self, ctx, value):
        values = super().process_value(ctx, value)
        if len(values) > 1:
            raise click.ClickException(f"{self.opts[0]} given {len(values)} times: "
                                       "this command reads one graph, give it once")
        return values[0] if values else None


def summary(text: str, out_path) -> None:
    """A command's summary line: on stderr when the output went to stdout or a stream."""
    click.echo(text, err=is_stream(out_path))


graph_option = click.option(
    "--graph", "graph_path", cls=SingleOption, type=GraphPath(), default=DEFAULT_GRAPH, show_default=True,
    help="Graph file (Turtle) to read, or a folder that kg build wrote (its kg.ttl).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="kg")
def main():
    """Build a knowledge graph from Chinese articles, and query, check, reason over and view it."""


# ----------------------------------------------------------------- building
@main.command()
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@click.option("--out", "out_dir", type=OutputPath(file=False),
              default=Path("outputs"), show_default=True,
              help="Output folder (created if missing): kg.ttl, graph.html and articles/ are "
              "replaced together.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=1, show_default=True,
              help="Worker processes for extraction.")
@curated_options
@click.option("--encoding", default=None, help="Encoding of the sources (default: detect).")
@click.option("--cache/--no-cache", default=True, show_default=True,
              help="Reuse per-article extractions whose text and rules did not change.")
@click.option("--store", default=None, help="Graph store, e.g. oxigraph:PATH (default: memory).")
@click.option("--pages/--no-pages", default=True, show_default=True,
              help="Also write graph.html and one page per article (skip them for large corpora).")
@click.option("--single-file", is_flag=True, default=False,
              help="Make each page self-contained (scripts and data inline, no assets/ folder).")
@click.option("--cluster", default=None, metavar="ADDRESS",
              help="Extract on a Dask cluster: its scheduler (tcp://host:port), or 'local' "
              "for a LocalCluster here (--jobs workers; default one per core). "
              "Needs pip install -e '.[cluster]'.")
@click.option("--shards", "shards_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Write the graph as sorted N-Triples shards in this folder "
              "(for a store's bulk loader or kg push) instead of kg.ttl and pages.")
@click.option("--shard-count", type=click.IntRange(min=1), default=8, show_default=True,
              help="Number of shards written by --shards.")
@handle_errors
def build(sources, out_dir, jobs, rules_dir, lexicon_path, encoding, cache, store, pages,
          single_file, cluster, shards_dir, shard_count):
    """Extract the graph from SOURCES (files or folders of .txt; default sources/)."""
    from .pipeline import build as run_build

    def warn(message: str) -> None:
        click.echo(f"Warning: {message}", err=True)

    sources = list(sources) or [Path("sources")]
    engine = None
    if cluster is not None:
        from .cluster import dask_engine

        engine = dask_engine(cluster, workers=jobs if jobs > 1 else None)
    if shards_dir is not None:
        if store is not None:
            raise click.UsageError("--shards and --store are alternatives: choose one")
        from .shards import build_shards

        click.echo(build_shards(sources, shards_dir, shard_count, jobs=jobs,
                                rules_dir=rules_dir, lexicon_path=lexicon_path,
                                encoding=encoding, use_cache=cache, warn=warn,
                                engine=engine).render())
        return
    summary = run_build(sources, out_dir=out_dir, jobs=jobs,
                        rules_dir=rules_dir, lexicon_path=lexicon_path, encoding=encoding,
                        use_cache=cache, store=store, warn=warn, pages=pages,
                        single_file=single_file, engine=engine)
    click.echo(summary.render())


@main.command()
@click.argument("sentence")
@click.option("--expect", multiple=True, metavar="TEXT",
              help="An entity (a phrase of SENTENCE, or label:Class to judge its class "
              "too) or a relation (\"A offers B\") you expected: says whether it was made "
              "and, if not, why (repeatable).")
@curated_options
@handle_errors
def explain(sentence, expect, rules_dir, lexicon_path):
    """Show how SENTENCE is segmented and which rules fire on it."""
    from .explain import explain as run_explain

    click.echo(run_explain(sentence, rules_dir=rules_dir, lexicon_path=lexicon_path,
                           expect=expect))


@main.group()
def rules():
    """Check, test and measure the extraction rules."""


@rules.command("check")
@curated_options
@handle_errors
def rules_check(rules_dir, lexicon_path):
    """Validate the curated files (kg.ttl, rules, lexicon, aliases) as a build loads them,
    and shapes.ttl as kg validate does; list every problem, each cause once."""
    from .curated import check

    try:
        click.echo(check(rules_dir=rules_dir, lexicon_path=lexicon_path))
    except DataFileError as e:
        if len(e.problems) == 1:
            raise click.ClickException(str(e)) from e
        for problem in e.problems:
            click.echo(problem)
        n = len(e.problems)
        raise click.ClickException(f"{counted(n, 'problem')} in the curated files") \
            from e


@rules.command("test")
@curated_options
@handle_errors
def rules_test(rules_dir, lexicon_path):
    """Run every rule's examples and counter-examples."""
    from .ruletest import run_rule_tests

    report, failures = run_rule_tests(rules_dir=rules_dir, lexicon_path=lexicon_path)
    click.echo(report)
    if failures:
        sys.exit(1)


@rules.command("stats")
@click.argument("sources", nargs=-1, type=click.Path(path_type=Path))
@curated_options
@handle_errors
def rules_stats(sources, rules_dir, lexicon_path):
    """Hits per rule over SOURCES (default sources/), and rules that never fire."""
    from .ruletest import rule_stats

    click.echo(rule_stats(list(sources) or [Path("sources")], rules_dir=rules_dir,
                          lexicon_path=lexicon_path))


# ------------------------------------------------------------ using a graph
@main.command()
@click.argument("query", required=False)
@click.option("--file", "query_file", type=InputPath(), default=None,
              help="Read the query from a .rq file (- reads stdin).")
@click.option("--graph", "graph_path", type=GraphPath(("store",)), default=DEFAULT_GRAPH,
              show_default=True, help="Graph file to read, a folder that kg build wrote (its "
              "kg.ttl), or the folder of an Oxigraph store (kg build --store).")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table",
              show_default=True, help="csv and json are the SPARQL 1.1 results formats; "
              "CONSTRUCT/DESCRIBE always print Turtle.")
@click.option("--limit", type=click.IntRange(min=0), default=100, show_default=True,
              help="Rows shown by the table format (0: all). csv and json are never cut.")
@click.option("--timeout", type=click.FloatRange(min=0), default=60.0, show_default=True,
              help="Seconds the query may run, loading the graph included (0: no limit).")
@click.option("--list", "list_queries", is_flag=True, help="List the canned queries.")
@handle_errors
def query(query, query_file, graph_path, fmt, limit, timeout, list_queries):
    """Run a read-only SPARQL QUERY (text, --file, or a canned query NAME).

    The ontology is loaded beside the graph and the usual prefixes (kg, kgd,
    rdf, rdfs, owl, xsd, skos, prov, dcterms, schema, foaf, sh) are predeclared.
    Updates and SERVICE are refused. Rows are printed as they come; Ctrl-C
    stops the query.
    """
    from . import query as q

    if list_queries:
        click.echo(q.list_queries())
        return
    q.run(query, query_file=query_file, graph_path=graph_path, fmt=fmt, limit=limit,
          timeout=timeout or None, write=lambda text: click.echo(text, nl=False))


@main.command()
@graph_option
@handle_errors
def validate(graph_path):
    """Validate the graph against ontology/shapes.ttl (SHACL)."""
    from .validate import validate as run_validate

    conforms, report = run_validate(graph_path)
    click.echo(report)
    if not conforms:
        sys.exit(1)


@main.command()
@graph_option
@out_file_option("the inferred triples (Turtle; owlrl only)", beside="inferred.ttl")
@click.option("--reasoner", type=click.Choice(["owlrl", "hermit"]), default="owlrl",
              show_default=True, help="owlrl: OWL-RL closure, no Java needed. hermit: OWL 2 DL "
              "consistency check (extra [dl] and Java); exit 1 if inconsistent.")
@handle_errors
def reason(graph_path, out_path, reasoner):
    """Write the OWL-RL closure (inferred triples only) of ontology + graph,
    or check ontology + graph for consistency with HermiT (OWL 2 DL).

    For an inconsistency, HermiT's report names each offending entity with the
    sentences and rules that gave it its classes.
    """
    if reasoner == "hermit":
        from .hermit import check

        report = check(graph_path)
        click.echo(report.render(graph_path))
        if not report.ok:
            sys.exit(1)
        return
    from .reason import reason as run_reason

    out_path = out_beside_graph(out_path, graph_path, "inferred.ttl")
    summary(run_reason(graph_path, out_path), out_path)


def _export_formats() -> tuple[str, str]:
    """The export formats' names ("ttl, nt, ... or owl") and one line for each, from the
    registry (importing kg.export loads no writer)."""
    from .export import WRITERS, formats

    names = list(WRITERS)
    return ", ".join(names[:-1]) + " or " + names[-1], formats()


@main.command(help="Export the graph in another format.\n\n\b\nFormats:\n" + _export_formats()[1])
@graph_option
@click.option("--format", "fmt", required=True, metavar="FORMAT",
              help=f"Export format: {_export_formats()[0]} (described below).")
@out_file_option("the exported graph")
@handle_errors
def export(graph_path, fmt, out_path):
    from .export import export_file

    summary(export_file(graph_path, fmt, out_path), out_path)


@main.command()
@graph_option
@click.option("--focus", default=None, help="Label of the entity to centre on.")
@click.option("--depth", type=click.IntRange(min=0), default=1, show_default=True)
@click.option("--types", default=None, help="Comma-separated classes to keep.")
@click.option("--article", default=None, help="Keep only entities of this article id.")
@out_file_option("the HTML view", beside="view.html")
@handle_errors
def viz(graph_path, focus, depth, types, article, out_path):
    """Write an interactive HTML view of the graph or of one entity's neighbourhood.

    Filters apply in order: --article, then --focus/--depth, then --types
    (subclasses included; the focus entity always stays). The page opens
    offline; page.html#find=LABEL selects an entity.
    """
    from .viz import render_view

    out_path = out_beside_graph(out_path, graph_path, "view.html")
    summary(render_view(graph_path, out_path, focus=focus, depth=depth,
                        types=[t.strip() for t in types.split(",")] if types else None,
                        article=article), out_path)


@main.command()
@graph_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for reading, json for scripts.")
@handle_errors
def stats(graph_path, fmt):
    """Counts by class and predicate, central entities, bridges between articles."""
    from .stats import render_stats

    click.echo(render_stats(graph_path, fmt))


@main.command("eval")
@click.option("--gold", "gold_paths", multiple=True, required=True,
              type=click.Path(path_type=Path),
              help="Gold JSON file, or a folder of them (repeatable).")
@click.option("--graph", "graph_path", cls=SingleOption, type=GraphPath(), default=None,
              help="Score this built graph (Turtle, or a folder that kg build wrote) instead "
              "of building one afresh from each gold file's text.")
@click.option("--reader", "reader_paths", multiple=True, type=click.Path(path_type=Path),
              help="Score a second reader's gold files of the same articles (file or folder, "
              "repeatable) instead of a graph: how far two readers agree.")
@click.option("--texts", "texts_dir", type=click.Path(file_okay=False, path_type=Path),
              default=None, help="Folder of the gold files' texts (default: beside the gold "
              "file, sources/, then $KG_CORPUS or ../shared/corpus).")
@click.option("--rules", "rules_dir", type=click.Path(path_type=Path), default=None,
              help="Folder of rule files replacing ontology/rules/.")
@click.option("--lexicon", "lexicon_path", type=click.Path(path_type=Path), default=None,
              help="Lexicon file or folder replacing ontology/lexicon/.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for reading, json for scripts.")
@click.option("--details/--no-details", default=None,
              help="List every file's missed and extra entities and relations "
              "(default: only when one gold file is given).")
@click.option("--totals-only", is_flag=True,
              help="Print only the total (for the blind set: never read its misses).")
@handle_errors
def eval_(gold_paths, graph_path, reader_paths, texts_dir, rules_dir, lexicon_path, fmt, details,
          totals_only):
    """Precision, recall and F1 of extraction against gold annotations.

    Each gold file is scored against a graph built afresh from its own text (or
    against --graph, or a second reader's annotation with --reader), with rows per
    article, genre and topic, per class and per predicate, and a micro-averaged total.
    """
    from .evaluate import evaluate_files

    click.echo(evaluate_files(list(gold_paths), graph_path, fmt=fmt, texts_dir=texts_dir,
                              rules_dir=rules_dir, lexicon_path=lexicon_path, details=details,
                              totals_only=totals_only, reader_paths=list(reader_paths)))


@main.command()
@click.option("--endpoint", required=True, help="Graph Store Protocol URL, e.g. http://host:7878/store")
@click.option("--graph", "graph_path", cls=SingleOption, type=GraphPath(("shards",)),
              default=DEFAULT_GRAPH,
              show_default=True, help="Graph file to push, a folder of shards "
              "(kg build --shards), or a folder that kg build wrote (its kg.ttl).")
@click.option("--graph-iri", default=None, help="Named graph to replace (default: the dataset's).")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30.0,
              show_default=True, help="Seconds to wait on each network operation.")
@handle_errors
def push(endpoint, graph_path, graph_iri, timeout):
    """Load the graph into a SPARQL 1.1 Graph Store endpoint, replacing that graph.

    A folder of shards (kg build --shards) replaces the graph with its first shard and
    adds the others; a failure midway says how many were sent.
    """
    from .push import push as run_push

    click.echo(run_push(graph_path, endpoint, graph_iri=graph_iri, timeout=timeout))


if __name__ == "__main__":  # pragma: no cover
    main()
