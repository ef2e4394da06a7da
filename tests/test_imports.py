"""The package's layers: no module of kg/ imports one that imports it back."""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx

KG = Path(__file__).resolve().parent.parent / "kg"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(KG.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph() -> nx.DiGraph:
    """Module -> the kg modules it imports, anywhere in it (inside functions too)."""
    g = nx.DiGraph()
    for path in KG.rglob("*.py"):
        name = module_name(path)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        g.add_node(name)
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[:len(package.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                if target.split(".")[0] != "kg":
                    continue
                for alias in node.names:
                    sub = f"{target}.{alias.name}"
                    is_module = (KG.parent / (sub.replace(".", "/") + ".py")).exists()
                    g.add_edge(name, sub if is_module else target)
            elif isinstance(node, ast.Import):
                g.add_edges_from((name, a.name) for a in node.names if a.name.split(".")[0] == "kg")
    g.remove_edges_from([(a, b) for a, b in g.edges if a == b])
    return g


def test_no_import_cycle():
    cycles = sorted(" -> ".join(c) for c in nx.simple_cycles(import_graph()))
    assert cycles == []


def test_the_rules_know_nothing_of_the_build():
    below_rules = nx.descendants(import_graph(), "kg.rules")
    assert not below_rules & {"kg.pipeline", "kg.extract", "kg.matcher", "kg.curated"}
