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
