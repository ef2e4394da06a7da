"""``kg reason --reasoner hermit``: an OWL 2 DL consistency check with HermiT.

HermiT (bundled with owlready2, run on Java) reads the document ``kg export
--format owl`` writes: the ontology and the entity layer as named individuals.
It answers whether they are consistent and, if they are, which classes are
unsatisfiable. For an inconsistency, ``kg.diagnose`` names the entities involved
with the sentences and rules that gave them their classes.

Needs the optional extra ``[dl]`` (owlready2) and a Java runtime (Debian:
``default-jre-headless``); without them the command stops with a one-line error.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ReasonerError, counted
from .fileio import load_graph
from .ontology import ONTOLOGY_FILE


@dataclass
class DLReport:
    consistent: bool
    unsatisfiable: list = field(default_factory=list)  # class IRIs
    findings: list = field(default_factory=list)  # kg.diagnose.Finding
    lines: list = field(default_factory=list)  # rendered findings
    individuals: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.consistent and not self.unsatisfiable

    def render(self, graph_path) -> str:
        head = (f"HermiT (OWL 2 DL): ontology + {counted(self.individuals, 'individual', thousands=True)} "
                f"of {graph_path} "
                f"in {self.seconds:.1f} s: ")
        if not self.consistent:
            out = [head + "INCONSISTENT"]
            if self.lines:
                out.append(f"{counted(len(self.findings), 'contradiction')}, with the evidence of "
                           "each class:")
                out += self.lines
            else:
                out.append("  no single entity explains it with the axioms kg diagnoses (disjoint "
                           "classes, domains, ranges, ∀ restrictions, irreflexive and asymmetric "
                           "properties); open `kg export --format owl` in Protégé and ask HermiT "
                           "for an explanation")
            return "\n".join(out)
        if self.unsatisfiable:
            from .export.rdftext import compact

            return "\n".join([head + "consistent, but with unsatisfiable classes (no "
                               "individual can be in them; check their axioms):"] +
                              [f"  {compact(c) or c}" for c in self.unsatisfiable])
        return head + "consistent; no unsatisfiable class"


def _owlready():
    try:
        import owlready2
    except ImportError:
        raise ReasonerError("HermiT needs owlready2: pip install 'kg[dl]' "
                            "(and Java: apt-get install default-jre-headless)") from None
    java = owlready2.JAVA_EXE
    if not (shutil.which(java) or os.path.isfile(java)):
        raise ReasonerError(f"HermiT needs Java ({java!r} not found): "
                            "apt-get install default-jre-headless")
    return owlready2


def check(graph_path: str | Path, ontology_path: str | Path = ONTOLOGY_FILE) -> DLReport:
    """Run HermiT on ontology + graph; diagnose an inconsistency."""
    from .diagnose import diagnose, render
    from .export.owl import dl_document, load_ontology, rdfxml
    from .ontology import parse_turtle

    owlready2 = _owlready()
    started = time.perf_counter()
    graph = load_graph(graph_path)
    doc = dl_document(graph, load_ontology(ontology_path))
    with tempfile.TemporaryDirectory(prefix="kg-hermit-") as tmp:
        path = Path(tmp) / "kg.owl"
        path.write_text(rdfxml(doc.triples), encoding="utf-8")
        world = owlready2.World()
        try:
            world.get_ontology(path.as_uri()).load()
        except Exception as e:  # owlready2's parser errors have no common class
            raise ReasonerError(f"owlready2 cannot read the OWL document: {_first_line(e)}") from e
        consistent = True
        try:
            owlready2.sync_reasoner_hermit(world, infer_property_values=False, debug=0)
        except owlready2.OwlReadyInconsistentOntologyError:
            consistent = False
        except owlready2.OwlReadyJavaError as e:
            raise ReasonerError(f"HermiT failed: {_java_message(e)}") from e
        except OSError as e:
            raise ReasonerError(f"cannot run Java for HermiT: {e.strerror or e}") from e
        unsatisfiable = sorted(c.iri for c in world.inconsistent_classes()
                               if c.iri != "http://www.w3.org/2002/07/owl#Nothing") if consistent else []
        world.close()
    report = DLReport(consistent, unsatisfiable, individuals=doc.individuals)
    if not consistent:
        report.findings = diagnose(graph, parse_turtle(ontology_path))
        report.lines = render(report.findings, graph)
    report.seconds = time.perf_counter() - started
    return report


def _first_line(e: Exception) -> str:
    text = str(e).strip()
    return text.splitlines()[0] if text else type(e).__name__


def _java_message(e: Exception) -> str:
    """The Java exception line of HermiT's output (not its stack trace)."""
    lines = [ln.strip() for ln in str(e).splitlines() if ln.strip()]
    for ln in lines:
        if "Exception" in ln and not ln.startswith("at "):
            return ln.split("Exception: ", 1)[-1] if "Exception: " in ln else ln
    return lines[-1] if lines else type(e).__name__
