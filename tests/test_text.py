"""Language helpers: sentences, quotations and negation scope."""
import pytest

from healthlint.analysis.text import is_negated, quoted_spans, split_sentences


def sentences(text):
    return [text[s:e] for s, e in split_sentences(text, 0, len(text))]


def test_sentences_respect_abbreviations_initials_and_decimals():
    text = ("Dr. Lee et al. found a 2.5 mg dose worked, e.g. in adults. J. Smith agreed! "
            "Was it safe? yes, mostly. The end")
    assert sentences(text) == ["Dr. Lee et al. found a 2.5 mg dose worked, e.g. in adults.", "J. Smith agreed!",
                               "Was it safe? yes, mostly.", "The end"]


def test_quoted_spans_handle_curly_straight_and_apostrophes():
    text = 'She said “it’s a miracle” and "wow", then ‘fine’ — it’s done.'
    assert [text[s:e] for s, e in quoted_spans(text, 0, len(text))] == ["“it’s a miracle”", '"wow"', "‘fine’"]


def test_an_unclosed_quote_quotes_nothing():
    text = "He said “a miracle cure and left."
    assert quoted_spans(text, 0, len(text)) == []


@pytest.mark.parametrize("text,target,negated", [
    ("There is no cure for type 1 diabetes.", "cure", True),
    ("Insulin is not a miracle drug.", "miracle", True),
    ("It isn't a miracle cure.", "miracle", True),
    ("It doesn’t offer instant relief.", "instant", True),
    ("Be wary of products claiming to be miracle cures.", "miracle", True),
    ("It is not cheap, but it is a miracle cure.", "miracle", False),     # a clause boundary
    ("Not only is it safe, it is a miracle cure.", "miracle", False),
    ("It is nothing short of a miracle.", "miracle", False),              # pseudo-negation
    ("No, really: this is a miracle cure.", "miracle", False),
    ("There are no words for how this miracle cure helped.", "miracle", False),  # too far back
    ("A miracle cure.", "miracle", False),
])
def test_negation_scope(text, target, negated):
    assert is_negated(text, 0, text.index(target)) is negated


def test_previous_sentence_start_is_the_sentence_before_in_the_same_block():
    from healthlint.analysis import parse
    doc = parse("a.md", "Aspirin was tested. It helped. Patients felt better.\n\nA new paragraph.")
    starts = [s for s, _ in doc.sentences]
    assert starts == [0, 20, 31, 54]
    assert [doc.previous_sentence_start(s) for s in starts] == [0, 0, 20, 54]
