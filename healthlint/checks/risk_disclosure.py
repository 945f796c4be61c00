"""risk-disclosure (HL201): an article about a treatment must also discuss its harms.

Also home of the treatment finder the other completeness rules share: which treatment
an article discusses, and where it is first mentioned. Word lists live in
rules/lexicons/treatments.yml and rules/lexicons/completeness.yml.
"""
from __future__ import annotations

import re
from functools import lru_cache

from healthlint.model import Finding, Rule, RuleDocs, Severity
from healthlint.packs import Matcher, trie_pattern
from healthlint.resources import load_lexicon, rules_dir

TREATMENT_OPTIONS = {"extra-treatments": [], "ignore-treatments": []}


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
def _extra(names: tuple[str, ...]) -> Matcher:
    return Matcher(names)


def _key(m) -> str:
    word = " ".join(m.group(0).lower().split())
    return word[:-1] if word.endswith("s") else word


def _mentions(doc, found: Matcher, ignore: set[str], exceptions: Matcher | None = None) -> list:
    lex = _treatments()
    out = []
    for m in found.finditer(doc.prose):
        word = " ".join(m.group(0).lower().split())
        if word in ignore or _key(m) in ignore or word in lex["stop"] or _key(m) in lex["stop"]:
            continue
        sentence_start, sentence_end = doc.sentence_at(m.start())
        if doc.is_negated(m.start()):
            continue  # "no medicine can fix this" does not discuss a medicine
        if exceptions and any(e.start() <= m.start() and m.end() <= e.end()
                              for e in exceptions.finditer(doc.prose, sentence_start, sentence_end)):
            continue
        out.append(m)
    return out


def _main(mentions: list):
    """The first mention of the most often mentioned treatment (earliest on a tie):
    an article about ketamine that first mentions "antidepressants" is about ketamine."""
    if not mentions:
        return None
    counts: dict[str, int] = {}
    for m in mentions:
        counts[_key(m)] = counts.get(_key(m), 0) + 1
    return min(mentions, key=lambda m: (-counts[_key(m)], m.start()))


def find_treatment(doc, options: dict):
    """The main treatment an article discusses: the first mention of the most often
    named treatment (lexicon, drug-name stem or `extra-treatments`), else of the most
    often used intervention word ("supplement", "injection"). Returns a regex match in
    prose offsets, or None when the article names no treatment."""
    extra = tuple(options.get("extra-treatments", []))
    ignore = frozenset(" ".join(str(n).lower().split()) for n in options.get("ignore-treatments", []))

    def compute():
        lex = _treatments()
        named = _mentions(doc, lex["names"], ignore) + _mentions(doc, _extra(extra), ignore)
        return _main(named) or _main(_mentions(doc, lex["interventions"], ignore, lex["not"]))
    return doc.shared(("treatment", extra, ignore), compute)


class TreatmentRule(Rule):
    """A document-level rule that applies to articles that discuss a treatment."""
    document_level = True

    def check(self, doc, options):
        if not doc.prose.strip():
            return
        treatment = find_treatment(doc, options)
        if treatment is not None:
            yield from self.check_treatment(doc, options, treatment)

    def check_treatment(self, doc, options, treatment):
        raise NotImplementedError


@lru_cache(maxsize=1)
def _absolute_claims() -> Matcher:
    """absolute-claim's own cues: a harm word inside one ("no side effects",
    "completely safe", "risk-free") is a denial, not a disclosure."""
    from healthlint.packs import load_pack
    return load_pack(rules_dir() / "absolute-claim.yml", source="built-in").matcher


@lru_cache(maxsize=1)
def _harm_cues():
    lex = load_lexicon("completeness")
    return (matcher(lex["harm-headings"]), matcher(lex["harm-sentences"]),
            re.compile(lex["harm-benefit-framing"], re.I))


def _counts(doc, m) -> bool:
    """A harm cue counts unless it is negated, framed as a benefit ("reduces side
    effects") or part of an absolute denial ("no side effects", "completely safe")."""
    sentence_start, sentence_end = doc.sentence_at(m.start())
    if doc.is_negated(m.start()):
        return False
    if _harm_cues()[2].search(doc.prose, sentence_start, m.start()):
        return False
    return not any(a.start() < m.end() and m.start() < a.end()
                   for a in _absolute_claims().finditer(doc.prose, sentence_start, sentence_end))


def discusses_harms(doc, extra_cues=()) -> bool:
    headings, sentences, _ = _harm_cues()
    for block in doc.headings:
        if any(_counts(doc, m) for m in headings.finditer(doc.prose, block.start, block.end)):
            return True
    for cues in (sentences, _extra(tuple(extra_cues))):
        if any(_counts(doc, m) for m in cues.finditer(doc.prose)):
            return True
    return False


class RiskDisclosure(TreatmentRule):
    def check_treatment(self, doc, options, treatment):
        if discusses_harms(doc, options.get("extra-harm-cues", [])):
            return
        name = " ".join(treatment.group(0).split())
        yield Finding(treatment.start(), treatment.end(),
                      f'the article discusses "{name}" but not its harms; add its side effects, risks, '
                      "interactions and who should not use it")


RISK_DISCLOSURE = RiskDisclosure(
    code="HL201", name="risk-disclosure", severity=Severity.WARNING,
    summary="An article about a treatment says nothing about its side effects, risks or who should avoid it.",
    options={**TREATMENT_OPTIONS, "extra-harm-cues": []},
    docs=RuleDocs(
        what="When an article discusses a treatment (a medicine, supplement, procedure, therapy, device, "
             "vaccine, infusion, injection or dose; drug names come from a lexicon of generic and brand "
             "names and from drug-name stems such as -statin, -pril, -mab, -prazole) but never discusses "
             "its harms, reports one finding on the treatment's first mention. Harms are discussed by a "
             "heading (\"Safety\", \"Possible side effects\", \"Who should not take it\") or by sentences "
             "about side effects, risks, warnings, contraindications, interactions, adverse events, who "
             "should not use it or when to stop. A denial (\"no side effects\", \"completely safe\") is not "
             "a disclosure. Articles with no treatment get no finding. Options: `extra-treatments` (names "
             "to treat as treatments), `ignore-treatments` (names never to treat as treatments), "
             "`extra-harm-cues` (phrases that count as discussing harms).",
        why="Every treatment has harms. Readers who hear only about benefits overrate a treatment, miss "
            "warning signs and take things they should not (in pregnancy, with other medicines). Missing "
            "harms is one of the commonest faults reviewers find in health stories.",
        standard="HealthNewsReview.org criterion 3 (does the story adequately explain the harms of the "
                 "intervention?); DISCERN question 10 (does it describe the risks of each treatment?); "
                 "UK Human Medicines Regulations 2012 reg. 287 (no claim that a medicine has no adverse "
                 "reactions).",
        bad="GoldenRoot curcumin capsules calm joint pain. Take one capsule twice a day.",
        good="Curcumin can upset the stomach and may interact with blood thinners such as warfarin. Do "
             "not take it if you have gallstones."),
    tests={
        "fail": [
            {"text": "# Curcumin for sore knees\n\nCurcumin capsules calm joint pain.", "expect": ["1:3"]},
            {"text": "Many people now take ketamine.\nIt is completely safe, with no side effects.",
             "expect": ["1:22"]},
            {"text": "Ask about atorvastatin or Lipitor.\n\nIt lowers cholesterol.", "expect": ["1:11"]},
            {"text": "There is no pill for ageing.\n\nBut a daily vitamin D supplement helps bones.",
             "expect": ["3:13"]},
            {"text": "Sleep well.\n\nOur new infusion lifts mood in hours.", "expect": ["3:9"]},
            {"text": "Rosuvastatins and omeprazole\nare common.", "expect": ["1:1"], "path": "a.txt"},
        ],
        "pass": [
            "# Statins\n\nStatins lower cholesterol.\n\n## Possible side effects\n\nMuscle aches.",
            "# Melatonin\n\nMelatonin may help jet lag.\n\n## Safety\n\nAsk a pharmacist first.",
            "# Ibuprofen\n\nIbuprofen eases pain.\n\n## Who should not take it\n\nPeople with ulcers.",
            "Ibuprofen eases pain. It can upset your stomach and is not suitable for people with asthma.",
            "Warfarin thins the blood. It interacts with many foods and medicines.",
            "Keep to a regular bedtime and get daylight in the morning. Cut caffeine after lunch.",
            "The environment in April matters: the Guadalquivir valley is hot.",
            "No medicine can replace a good night's sleep.",
            "See our sleep medicine clinic for a dose of fresh air and common sense.",
            "<!-- healthlint-disable-file HL201 -->\n\nKetamine is fast.",
        ],
    },
)

RULES = [RISK_DISCLOSURE]
