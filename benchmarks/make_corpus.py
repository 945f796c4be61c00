"""Write N health articles for the benchmark, built from the project's own examples/.

Each article is one of the examples with its wording varied (seeded, so a corpus is the same
on every machine): interchangeable words swapped, a numbered title, and an edition sentence.
No two files are identical, so no linter can shortcut repeated content.

    python benchmarks/make_corpus.py 2000 benchmarks/corpus/2000
"""
from __future__ import annotations

import argparse
import random
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"

# each word can be written as any of its group (case follows the original)
VARIANTS = [
    ["people", "adults", "patients", "readers"],
    ["doctor", "physician", "GP", "clinician"],
    ["often", "frequently", "commonly", "usually"],
    ["many", "lots of", "a number of", "plenty of"],
    ["help", "support", "assist"],
    ["about", "around", "roughly", "approximately"],
    ["daily", "each day", "every day"],
    ["important", "essential", "vital", "key"],
    ["symptoms", "signs", "complaints"],
    ["study", "trial", "investigation"],
    ["studies", "trials", "investigations"],
    ["large", "big", "major", "sizeable"],
    ["small", "little", "modest", "minor"],
    ["improve", "boost", "raise", "better"],
    ["reduce", "lower", "cut", "decrease"],
    ["quickly", "fast", "rapidly", "soon"],
    ["before", "prior to", "ahead of"],
    ["also", "too", "as well", "besides"],
]
_TABLE = {word.lower(): group for group in VARIANTS for word in group if " " not in word}
_WORD = re.compile(r"\b(" + "|".join(sorted(map(re.escape, _TABLE), key=len, reverse=True)) + r")\b", re.I)


def bases() -> list[Path]:
    return sorted(p for p in EXAMPLES.iterdir() if p.is_file() and p.suffix in (".md", ".txt"))


def _split_front_matter(text: str) -> tuple[str, str]:
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            return text[:end + 5], text[end + 5:]
    return "", text


def vary(text: str, n: int, rng: random.Random) -> str:
    front, body = _split_front_matter(text)

    def swap(m: re.Match) -> str:
        if rng.random() < 0.4:
            return m.group(0)
        choice = rng.choice(_TABLE[m.group(0).lower()])
        return choice[0].upper() + choice[1:] if m.group(0)[0].isupper() else choice

    lines = []
    for line in body.split("\n"):
        # leave links, code, tables, footnotes and directives alone: only plain prose varies
        if line.startswith(("    ", "```", "|", "[", "<!--")) or "](" in line or "http" in line:
            lines.append(line)
        else:
            lines.append(_WORD.sub(swap, line))
    body = "\n".join(lines)
    heading = re.search(r"^# .+$", body, re.M)
    if heading:
        body = body[:heading.end()] + f" ({n})" + body[heading.end():]
    edition = f"This is edition {n} of this guide, revised in {rng.choice(['spring', 'summer', 'autumn', 'winter'])}."
    body = body.rstrip("\n") + f"\n\n{edition}\n"
    return front + body


def write_corpus(count: int, folder: Path, seed: int = 8) -> list[Path]:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    sources = [(p.suffix, p.read_text(encoding="utf-8")) for p in bases()]
    rng = random.Random(seed)
    written = []
    for n in range(1, count + 1):
        suffix, text = sources[(n - 1) % len(sources)]
        path = folder / f"article-{n:05d}{suffix}"
        path.write_text(vary(text, n, rng), encoding="utf-8")
        written.append(path)
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--seed", type=int, default=8)
    args = parser.parse_args()
    files = write_corpus(args.count, args.folder, args.seed)
    print(f"{len(files)} articles, {sum(p.stat().st_size for p in files) // 1024} KB in {args.folder}")


if __name__ == "__main__":
    main()
