"""The treatment an article discusses, and where it is first mentioned: the lists in
rules/lexicons/treatments.yml (generic and brand names, drug-name stems, intervention words),
plus a rule's `extra-treatments` and `ignore-treatments` options."""
from __future__ import annotations

import bisect
from functools import lru_cache

from healthlint.analysis.zones import DEFAULT_ZONES, name_spans, zones_of
from healthlint.matching import Matcher, trie_pattern
from healthlint.resources import load_lexicon

# where a mention makes a treatment the article's subject: its own prose, tables and quotes
TREATMENT_ZONES = DEFAULT_ZONES | {"table", "quotation", "blockquote"}


def matcher(spec) -> Matcher:
    """A Matcher from a lexicon entry: a list of phrases or {phrases, patterns}."""
    if isinstance(spec, list):
        return Matcher(spec)
    return Matcher(spec.get("phrases", []), spec.get("patterns", []))


@lru_cache(maxsize=1)
def _treatments():
    lex = load_lexicon("treatments")
    # a word of letters that ends in a drug-name stem (a trie, because re backtracks over the word)
    suffix = (rf"(?<![\w-])[a-z]{{{int(lex['suffix-min-stem'])},}}"
              + trie_pattern(lex["suffixes"] + [s + "s" for s in lex["suffixes"]]))
    return {
        "names": Matcher(lex["generics"] + lex["brands"], lex["patterns"] + [suffix]),
        "stop": frozenset(lex["suffix-stop"]),
        "interventions": Matcher(lex["interventions"]),
        "not": matcher(lex["not-interventions"]),
    }


@lru_cache(maxsize=32)
def extra_matcher(names: tuple[str, ...]) -> Matcher:
    return Matcher(names)


def _key(m) -> str:
    word = " ".join(m.group(0).lower().split())
    return word[:-1] if word.endswith("s") else word


def _mentions(doc, found: Matcher, ignore: set[str], exceptions: Matcher | None = None) -> list:
    lex = _treatments()
    zones, names = zones_of(doc), name_spans(doc)
    name_starts = [s for s, _ in names]
    out = []
    for m in found.finditer(doc.prose):
        word = " ".join(m.group(0).lower().split())
        if word in ignore or _key(m) in ignore or word in lex["stop"] or _key(m) in lex["stop"]:
            continue
        if not zones.in_zones(m.start(), m.end(), TREATMENT_ZONES):
            continue  # an "About us" paragraph, a funding note or a reference list is not the subject
        i = bisect.bisect_right(name_starts, m.start()) - 1
        if i >= 0 and m.end() <= names[i][1]:
            continue  # "Susan G. Komen for the Cure", "Division of Cardiovascular Medicine": names, not treatments
        sentence_start, sentence_end = doc.sentence_at(m.start())
        if doc.is_negated(m.start()):
            continue  # "no medicine can fix this" does not discuss a medicine
        if exceptions and any(e.start() <= m.start() and m.end() <= e.end()
                              for e in exceptions.finditer(doc.prose, sentence_start, sentence_end)):
            continue
        out.append(m)
    return out


def _main(mentions: list, title: tuple[int, int] | None = None):
    """The first mention of the most often mentioned treatment (earliest on a tie): an article
    about ketamine that first mentions "antidepressants" is about ketamine. A treatment its title
    names comes first: the body may say more about the comparator, the setting or the outcome
    measured ("antibiotics" beside a new wound dressing, "insulin" levels in a diet study)."""
    if not mentions:
        return None
    counts: dict[str, int] = {}
    for m in mentions:
        counts[_key(m)] = counts.get(_key(m), 0) + 1
    in_title = {_key(m) for m in mentions if title and title[0] <= m.start() < title[1]}
    return min(mentions, key=lambda m: (_key(m) not in in_title, -counts[_key(m)], m.start()))


def _title_span(doc) -> tuple[int, int] | None:
    zones = zones_of(doc)
    return next(((b.start, b.end) for b in doc.blocks if zones.block_zone(b) == "title"), None)


def find_treatment(doc, options: dict):
    """The main treatment an article discusses: the first mention of the most often
    named treatment (lexicon, drug-name stem or `extra-treatments`), else of the most
    often used intervention word ("supplement", "injection"). Returns a regex match in
    prose offsets, or None when the article names no treatment."""
    extra = tuple(options.get("extra-treatments", []))
    ignore = frozenset(" ".join(str(n).lower().split()) for n in options.get("ignore-treatments", []))

    def compute():
        lex = _treatments()
        title = _title_span(doc)
        named = _mentions(doc, lex["names"], ignore) + _mentions(doc, extra_matcher(extra), ignore)
        return _main(named, title) or _main(_mentions(doc, lex["interventions"], ignore, lex["not"]), title)
    return doc.shared(("treatment", extra, ignore), compute)
