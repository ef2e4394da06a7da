"""Plain data passed between pipeline stages (no rdflib, no jieba)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article; ``text == article.text[start:end]``."""

    article_id: str
    index: int
    start: int
    end: int
    text: str
    paragraph: int = 0


@dataclass(frozen=True)
class Article:
    """A normalised source article."""

    id: str
    text: str
    sentences: tuple[Sentence, ...]
    title: str = ""
    authors: tuple[str, ...] = ()
    source: str = ""
    date: str = ""
    topic: str = ""
    path: str = ""


class Token(NamedTuple):
    """A jieba token; offsets are relative to the article text.

    A named tuple, not a dataclass: the segmenter makes one per word, and tuples are
    several times cheaper to make."""

    text: str
    pos: str
    start: int
    end: int
    ltype: str | None = None  # lexicon type tag, e.g. "bank"
    quoted: bool = False  # inside “…” / 《…》 (the marks themselves are not)
    ent: str | None = None  # class of the entity this chunk token stands for
    mention: int | None = None  # index of that mention in the sentence's mention list


@dataclass(frozen=True)
class Mention:
    """A span of text naming an entity of an ontology class."""

    article_id: str
    sentence: int  # sentence index within the article
    start: int  # offsets in the article text
    end: int
    surface: str  # text[start:end]
    label: str  # cleaned label (quote marks stripped, head phrase)
    cls: str  # ontology class local name, e.g. "Bank"
    rule: str  # id of the rule that produced it
    alts: tuple[str, ...] = ()  # other labels met for it (e.g. the quoted core of a name)


@dataclass(frozen=True)
class Relation:
    """A relation between two mentions, with its provenance."""

    subject: Mention
    predicate: str  # ontology property local name
    object: Mention
    rule: str
    article_id: str
    sentence: int


@dataclass
class Extraction:
    """Everything extracted from one article."""

    article: Article
    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)


@dataclass
class Entity:
    """A resolved entity: one node of the graph."""

    key: str  # stable opaque id (class + hash of normalised label)
    cls: str
    label: str
    alt_labels: set[str] = field(default_factory=set)
    mentions: list[Mention] = field(default_factory=list)

    @property
    def articles(self) -> list[str]:
        return sorted({m.article_id for m in self.mentions})


HEADER_RULE = "header.author"  # the rule id of what an article's header states


def header_mentions(article: Article) -> list[Mention]:
    """Authors named in the header: Person mentions without a sentence."""
    return [Mention(article.id, -1, 0, 0, "", name, "Person", HEADER_RULE) for name in article.authors]
