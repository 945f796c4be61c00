"""healthlint.analysis.claims: how strongly one sentence states a relationship (own sentences)."""
import pytest

from healthlint.analysis.claims import STRENGTHS, sentence_strength


@pytest.mark.parametrize("sentence,strength", [
    ("Daily walks lower blood pressure in older adults.", "direct_causal"),
    ("The new inhaler led to fewer asthma attacks.", "direct_causal"),
    ("Daily walks may lower blood pressure in older adults.", "conditional_causal"),
    ("The spray appears to ease hay fever within an hour.", "conditional_causal"),
    ("Poor sleep was associated with higher blood pressure.", "correlational"),
    ("Night-shift nurses were more likely to report back pain than day-shift nurses.", "correlational"),
    ("Coffee drinking is linked to a lower risk of gallstones.", "correlational"),
    ("The clinic opens at eight on weekdays.", "no_relationship"),
    ("Blood pressure did not differ between the two groups.", "no_relationship"),
    ("The cream did not reduce itching more than the placebo did.", "no_relationship"),
])
def test_sentence_strength(sentence, strength):
    assert sentence_strength(sentence) == strength


def test_every_answer_is_one_of_the_four_labels():
    assert {sentence_strength(s) for s in ("", "Yes.", "It may.", "Linked.")} <= set(STRENGTHS)
