"""Claims: whether a sentence states a relationship, and how strongly (after Yu et al. 2019):

    sentence_strength(text) -> "direct_causal" | "conditional_causal" | "correlational" | "no_relationship"

A cause-and-effect verb ("reduces", "leads to") with no hedge is `direct_causal`; with a hedge in the
same sentence ("may reduce", "appears to improve") it is `conditional_causal`; a stated association
("is associated with", "more likely to") is `correlational`; a sentence that states none, or says
none was found ("did not differ"), is `no_relationship`. The cue lists are in rules/lexicons/claims.yml.
This is the first layer of the claim analysis the claim rules will share (issue: claims, not words).
"""
from __future__ import annotations

from functools import lru_cache

from healthlint.matching import Matcher
from healthlint.resources import load_lexicon

STRENGTHS = ("direct_causal", "conditional_causal", "correlational", "no_relationship")


@lru_cache(maxsize=1)
def _cues() -> dict[str, Matcher]:
    lex = load_lexicon("claims")

    def matcher(spec) -> Matcher:
        return Matcher(spec.get("phrases", []), spec.get("patterns", []))
    return {key: matcher(lex[key]) for key in ("correlational", "causal", "hedges", "null-findings")}


def sentence_strength(text: str) -> str:
    """The strength of the relationship one sentence states (see the module docstring)."""
    cues = _cues()
    if cues["correlational"].search(text):
        return "correlational"
    causal = cues["causal"].search(text)
    if causal is None:
        return "no_relationship"
    if cues["null-findings"].search(text):
        return "no_relationship"
    if cues["hedges"].search(text):
        return "conditional_causal"
    return "direct_causal"


EVIDENCE_ZONES = frozenset({"title", "heading", "body", "list", "caption", "table", "quotation", "blockquote"})
CAUSE_SHOWN = ("randomised-trial", "meta-analysis")   # evidence that can carry a causal claim


@lru_cache(maxsize=1)
def _evidence_cues() -> tuple[dict[str, Matcher], dict[str, int]]:
    lex = load_lexicon("claims")
    return ({kind: Matcher(words) for kind, words in lex["evidence"].items()},
            {kind: int(n) for kind, n in lex["evidence-min-cues"].items()})


def article_evidence(doc) -> str | None:
    """The kind of evidence the article reports: "randomised-trial", "meta-analysis", "animal",
    "laboratory", "observational", or None when it does not say. A randomised trial or a review
    decides first, unless the article speaks more of animals or cells than of the trial (a trial
    in mice is an animal study); then animals, cells and observational designs, each needing
    `evidence-min-cues` mentions in the article's own prose (not its boilerplate or references)."""
    def compute():
        from healthlint.analysis.zones import zones_of
        cues, needed = _evidence_cues()
        zones = zones_of(doc)
        counts = {kind: sum(1 for m in matcher.finditer(doc.prose) if zones.zone_at(m.start()) in EVIDENCE_ZONES)
                  for kind, matcher in cues.items()}
        lab_animal = max(counts["animal"], counts["laboratory"])
        for kind in CAUSE_SHOWN:
            if counts[kind] and counts[kind] >= lab_animal:
                return kind
        for kind in ("animal", "laboratory", "observational"):
            if counts[kind] >= needed.get(kind, 1):
                return kind
        return None
    return doc.shared("article evidence", compute)


def shown_by_cited_trial(doc, offset: int) -> bool:
    """Whether the sentence at `offset` can claim what a cited trial shows: the article reports a
    randomised trial or a review of trials (article_evidence) and says where it was published,
    and the sentence states more than an association ("proven to lower blood pressure" after a
    published trial is strong wording, not an unsupported claim; "proven to be linked to" is)."""
    if article_evidence(doc) not in CAUSE_SHOWN or not doc.citations.names_publication:
        return False
    start, end = doc.sentence_at(offset)
    return sentence_strength(doc.prose[start:end]) != "correlational"
