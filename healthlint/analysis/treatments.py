"""The treatment an article discusses, and where it is first mentioned: the lists in
rules/lexicons/treatments.yml (generic and brand names, drug-name stems, intervention words),
plus a rule's `extra-treatments` and `ignore-treatments` options."""
from __future__ import annotations

import bisect
import re
import string
from dataclasses import dataclass
from functools import lru_cache
from re import _parser

from healthlint.analysis.zone_cues import phrase_alternation
from healthlint.analysis.zones import DEFAULT_ZONES, name_spans, zones_of
from healthlint.matching import Matcher, trie_pattern
from healthlint.matching.matcher import lowercased
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
    endings = lex["suffixes"] + [s + "s" for s in lex["suffixes"]]
    suffix = rf"(?<![\w-])[a-z]{{{int(lex['suffix-min-stem'])},}}" + trie_pattern(endings)
    modals = phrase_alternation(lex["title-benefit-modals"])
    word = r"[\w'’+.-]+"
    reporting = phrase_alternation(lex["title-reporting-verbs"])
    title_subject = (rf"(?:[^:\n]{{1,40}}:[ \t]+)?(?:[^\n]{{1,60}}?\b(?:{reporting})[ \t]+(?:that[ \t]+)?)?"
                     rf"(?P<subject>{word}(?:[ \t]+{word}){{0,5}}?)[ \t]+(?P<modal>(?:(?:{modals})[ \t]+){{0,2}})"
                     rf"(?P<verb>{phrase_alternation(lex['title-benefit-verbs'])})(?![\w-])")
    return {
        "title_subject": re.compile(title_subject, re.I),
        "generic": frozenset(lex["title-generic-words"]),
        "reporters": frozenset(lex["title-reporter-words"] + lex["title-reporting-verbs"]),
        "subject-edges": frozenset(lex["subject-edges"]),
        "title-not": {group.split("|")[0].strip(): [n.strip() for n in group.split("|")[1:]]
                      for group in lex["title-not-interventions"]},
        "comparing": frozenset(w.split()[0] for w in lex["title-comparator-words"]) - {"as", "in"},
        "aliases": {w: names for group in lex["aliases"] for names in [tuple(n.strip() for n in group.split("|"))]
                    for w in names},
        "base_verbs": frozenset(v for v in lex["title-benefit-verbs"] if not v.split()[0].endswith(("s", "ed"))
                                and v not in ("shrank", "led to")),
        "comparator": re.compile(rf"(?<![\w-])(?:{phrase_alternation(lex['title-comparator-words'])})[ \t]+"
                                 rf"(?:[\w'’-]+[ \t]+)?$", re.I),
        "names": _NameFinder(Matcher(lex["generics"] + lex["classes"] + lex["brands"], lex["patterns"]),
                             suffix, lex["suffixes"]),
        "kinds": frozenset(lex["classes"] + lex["interventions"]),
        "stop": frozenset(lex["suffix-stop"]),
        "interventions": Matcher(lex["interventions"]),
        "not": matcher(lex["not-interventions"]),
    }


class _NameFinder:
    """Finds what Matcher(names.phrases, names.patterns + [suffix]) finds, sooner. No first word
    begins every match of that Matcher (a drug-name stem can end a word of any letters), so re would
    try its whole regex at every character of the prose. Here `names` (the lexicon's names and
    patterns) is a Matcher that tries only where their first words are, and the suffix pattern is
    tried only at the start of the words that hold a stem, found with str.find (a few instructions a
    character; re's scan for the stems takes a hundred). Where both match at one place the names
    win, as they come first in the one regex."""

    def __init__(self, names: Matcher, suffix: str, stems: list[str]):
        self.names, self.stem_word, self.stems = names, Matcher(patterns=[suffix]), [s.lower() for s in stems]
        self.whole = Matcher(names.phrases, names.patterns + [suffix])
        # an empty match would need re's rules for where the next search starts: the one regex then
        self.can_be_empty = bool(self.whole.pattern) and _parser.parse(self.whole.pattern).getwidth()[0] == 0

    def finditer(self, text: str, start: int = 0, end: int | None = None):
        end = len(text) if end is None else end
        lowered = lowercased(text)
        if lowered is None or self.can_be_empty:   # lowercasing would move offsets: as the Matcher runs
            yield from self.whole.finditer(text, start, end)
            return
        words = self._stem_words(lowered, start, end)   # where words that end in a stem begin
        if not words:
            yield from self.names.finditer(text, start, end)
            return
        names = self.names.finditer(text, start, end)
        name = next(names, None)
        i = 0
        while True:
            stem_word = None
            while stem_word is None and i < len(words) and (name is None or words[i] < name.start()):
                stem_word = self.stem_word.match(text, words[i], end)
                i += 1
            found = stem_word or name
            if found is None:
                return
            yield found
            at = found.end()
            while i < len(words) and words[i] < at:
                i += 1
            if stem_word is None:
                name = next(names, None)   # finditer goes on from the end of its match, as the one regex
            elif name is not None and name.start() < at:
                names = self.names.finditer(text, at, end)   # the word hid it: the names after the word
                name = next(names, None)

    def _stem_words(self, lowered: str, start: int, end: int) -> list[int]:
        """Where the words of lowered[start:end] that hold a stem begin (at `start` at the earliest),
        in order: every match of the suffix pattern begins at one of them."""
        starts = set()
        for stem in self.stems:
            at = lowered.find(stem, start, end)
            while at >= 0:
                k = at
                while k > start and lowered[k - 1] in LOWERCASE_LETTERS:
                    k -= 1
                starts.add(k)
                at = lowered.find(stem, at + 1, end)
        return sorted(starts)


LOWERCASE_LETTERS = frozenset(string.ascii_lowercase)   # [a-z], what the suffix pattern's word is made of


@lru_cache(maxsize=32)
def extra_matcher(names: tuple[str, ...]) -> Matcher:
    return Matcher(names)


def _key(m) -> str:
    word = " ".join(m.group(0).lower().split())
    return word[:-1] if word.endswith("s") else word


def _mentions(doc, found: Matcher, ignore: set[str], exceptions: Matcher | None = None,
              span: tuple[int, int] | None = None) -> list:
    lex = _treatments()
    zones, names = zones_of(doc), name_spans(doc)
    name_starts = [s for s, _ in names]
    out = []
    for m in found.finditer(doc.prose, *(span or (0, len(doc.prose)))):
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


@dataclass(frozen=True)
class Treatment:
    """The treatment an article discusses: where it is first mentioned (prose offsets), and its words."""
    start: int
    end: int
    name: str
    sure: bool = True   # the title names it, or the article's first paragraphs do

    @classmethod
    def of(cls, doc, start: int, end: int, sure: bool = True) -> "Treatment":
        return cls(start, end, " ".join(doc.prose[start:end].split()), sure)

    def words(self) -> list[str]:
        """The words of its name that identify it, lower case and singular ("vitamin", "cast"; not
        "new" or "the"): how a sentence that names it is recognised."""
        generic = _treatments()["generic"]
        words = [w.strip("'’.,()-").lower() for w in self.name.split()]
        words = [w[:-1] if w.endswith("s") and len(w) > 4 else w for w in words]
        words = [w for w in words if len(w) >= 3 and w not in generic]
        # "Robotic surgery" is named by "robotic": any surgery is not this one
        specific = [w for w in words if not _treatments()["interventions"].search(w)]
        return specific or words

    def named_in(self, text: str) -> bool:
        """Whether `text` names this treatment (one of its identifying words or their aliases in
        rules/lexicons/treatments.yml, "CBD" for "cannabidiol", any case)."""
        text = text.lower()
        aliases = _treatments()["aliases"]
        return any(alias in text for word in self.words() for alias in aliases.get(word, (word,)))


_TOKEN_RE = re.compile(r"\S+")


def _title_subject(doc, title: tuple[int, int] | None) -> Treatment | None:
    """What the title says does something for health ("Toothpaste | reduces plaque"), unless its
    words are all generic ("New treatment | eases pain")."""
    if title is None:
        return None
    lex = _treatments()
    m = lex["title_subject"].match(doc.prose, *title)
    if not m:
        return None
    tokens = list(_TOKEN_RE.finditer(doc.prose, *m.span("subject")))
    words = [t.group().strip("'’.,-").lower() for t in tokens]
    # "Johns Hopkins team | identifies ...", "Scientists report | CRISPR restores ...": who reports
    # is not the subject; what follows them is
    cut = max((i + 1 for i, w in enumerate(words) if w in lex["reporters"]), default=0)
    words = words[cut:]
    # "Radiation prior to surgery | reduces ...": the subject ends where its comparison begins
    keep = next((i for i, w in enumerate(words) if w in lex["comparing"]), len(words))
    words = words[:keep]
    if not words or words[0] in lex["subject-edges"] or words[-1] in lex["subject-edges"] \
            or all(w in lex["generic"] for w in words):
        return None
    if " ".join(m.group("verb").lower().split()) in lex["base_verbs"] and not m.group("modal") \
            and not words[-1].endswith("s"):
        return None   # "Natural tooth repair method": a noun, not "Statins reduce" or "may reduce"
    return Treatment.of(doc, tokens[cut].start(), tokens[cut + len(words) - 1].end())


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


def title_span(doc) -> tuple[int, int] | None:
    zones = zones_of(doc)
    return next(((b.start, b.end) for b in doc.blocks if zones.block_zone(b) == "title"), None)


def find_treatment(doc, options: dict):
    """The main treatment an article discusses, as a Treatment, or None when it names none. The
    title decides first: a treatment it names (lexicon, drug-name stem or `extra-treatments`), else
    an intervention word it uses ("surgery"), else what it says does something for health
    ("Toothpaste reduces plaque"). Without one in the title: the first mention of the most often
    named treatment, else of the most often used intervention word ("supplement", "injection"); such
    a treatment is `sure` only when it is prominent (see _prominent), and rules then do not name it."""
    extra = tuple(options.get("extra-treatments", []))
    ignore = frozenset(" ".join(str(n).lower().split()) for n in options.get("ignore-treatments", []))

    def compute():
        lex = _treatments()
        title = title_span(doc)
        named = _not_comparators(doc, lex["names"], _mentions(doc, lex["names"], ignore), title) \
            + _mentions(doc, extra_matcher(extra), ignore)
        general = None     # intervention words ("surgery"), read only when no name decides

        def interventions():
            return _not_comparators(doc, lex["interventions"],
                                    _mentions(doc, lex["interventions"], ignore, lex["not"]), title)
        m = _in_title(named, title)
        if m is None and title and _mentions(doc, lex["interventions"], ignore, lex["not"], title):
            general = interventions()
            m = _in_title(general, title)
            if m is not None and title[0] <= m.start() < title[1]:
                m = _with_modifiers(doc, m, title)
        m = m or _title_subject(doc, title)
        if m is not None:
            return m if isinstance(m, Treatment) else Treatment.of(doc, m.start(), m.end())
        m = _main(named, title)
        if m is None:
            named = general if general is not None else interventions()
            m = _main(named, title)
        return None if m is None else Treatment.of(doc, m.start(), m.end(), sure=_prominent(doc, named, m, title))
    return doc.shared(("treatment", extra, ignore), compute)


_WORD_BEFORE = re.compile(r"([A-Za-z][\w'’+-]*)[ \t]+$")


def _with_modifiers(doc, m, title: tuple[int, int]) -> Treatment:
    """An intervention word of the title with the up to two words before it that say which one it
    is ("Proton | therapy", "Stem cell | injection", "weight-loss | surgery"), not generic, reporting
    or comparing words ("New therapy", "instead of surgery")."""
    lex = _treatments()
    start = m.start()
    for _ in range(2):
        w = _WORD_BEFORE.search(doc.prose, title[0], start)
        word = w.group(1).lower() if w else ""
        if not w or word in lex["generic"] or word in lex["reporters"] or word in lex["subject-edges"] \
                or lex["comparator"].search(doc.prose, title[0], w.end()) or word.endswith(("ing", "ed")):
            break
        start = w.start(1)
    return Treatment.of(doc, start, m.end())


LEAD_PARAGRAPHS = 2


def _prominent(doc, mentions: list, main, title: tuple[int, int] | None = None) -> bool:
    """Whether a treatment the title does not name is still plainly the subject: named in the
    article's first LEAD_PARAGRAPHS paragraphs, where a story says what it is about. A drug named
    further down in a food list, an outcome measured ("insulin levels") or a comparator is not; nor
    is a kind of treatment ("surgery", "antidepressants") when the article has a title that names
    something else ("Breath test spots lung cancer", then "before surgery")."""
    if title is not None and " ".join(main.group(0).lower().split()) in _treatments()["kinds"]:
        return False
    lead = [b for b in doc.blocks if b.kind == "paragraph"][:LEAD_PARAGRAPHS]
    return any(b.start <= m.start() < b.end for b in lead for m in mentions if _key(m) == _key(main))


def _in_title(mentions: list, title: tuple[int, int] | None):
    """The main treatment of `mentions` when the title names one (_main puts it first): the title
    says what the article is about."""
    if title and any(title[0] <= m.start() < title[1] for m in mentions):
        return _main(mentions, title)
    return None


def _not_comparators(doc, found: Matcher, mentions: list, title: tuple[int, int] | None) -> list:
    """`mentions` without the treatments that the title names as the comparison ("Modified cast
    instead of surgery ..."): the article is not about them."""
    if title is None:
        return mentions
    lex = _treatments()
    comparator = lex["comparator"]
    compared = {_key(m) for m in found.finditer(doc.prose, *title) if comparator.search(doc.prose, title[0], m.start())}
    # "Non-surgical weight-loss treatment ...": the article is not about surgery
    title_words = set(re.findall(r"[\w-]+", doc.prose[title[0]:title[1]].lower()))
    compared |= {name for word, names in lex["title-not"].items() if word in title_words for name in names}
    return [m for m in mentions if _key(m) not in compared] if compared else mentions


def other_treatment_in(doc, start: int, end: int, treatment: Treatment) -> bool:
    """Whether prose[start:end] names a treatment of the lexicon other than `treatment` (a
    comparator: "Statins, by contrast, can cause muscle pain")."""
    return any(not treatment.named_in(m.group(0)) for m in _treatments()["names"].finditer(doc.prose, start, end))
