"""Split the real-text corpus (../shared/corpus) into development and blind sets.

Run once, before any extraction result on the corpus was looked at; the seed is fixed
so that anyone can check the split. Stratified by topic: of each topic's 15 articles,
10 go to tests/dev/ and 5 to tests/blind/.

    python tests/make_split.py [CORPUS_DIR]
"""
import random
import sys
from pathlib import Path

SEED = 20261206


def split(names_by_topic: dict[str, list[str]], seed: int = SEED) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    dev: list[str] = []
    blind: list[str] = []
    for topic in sorted(names_by_topic):
        names = sorted(names_by_topic[topic])
        chosen = set(rng.sample(names, len(names) // 3))
        blind += [n for n in names if n in chosen]
        dev += [n for n in names if n not in chosen]
    return sorted(dev), sorted(blind)


def topics(corpus: Path) -> dict[str, list[str]]:
    by_topic: dict[str, list[str]] = {}
    for path in sorted(corpus.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith("# topic:"):
                by_topic.setdefault(line.split(":", 1)[1].strip(), []).append(path.name)
                break
    return by_topic


if __name__ == "__main__":
    corpus = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parents[1] / ".." / "shared" / "corpus")
    dev, blind = split(topics(corpus))
    print("dev:", *dev, sep="\n  ")
    print("blind:", *blind, sep="\n  ")
