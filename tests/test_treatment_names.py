"""The treatment names finder finds what the one Matcher of names and the drug-stem pattern finds."""
import random

from healthlint.analysis.treatments import _treatments

TEXTS = [
    "Take atorvastatin or xxstatins, anti-statin, café-statin and İstatin; Statins/ezetimibe.",
    "Vitamin D and adalimumab-atto, Lisinopril. ab statin 5statin",
    "Patients on metformin, rosuvastatins or ibuprofen (Advil) saw the virus fade. " * 6,
]


def _spans(finder, text, start, end):
    return [(m.span(), m.group(0)) for m in finder.finditer(text, start, end)]


def test_same_matches_as_one_matcher():
    names = _treatments()["names"]
    rng = random.Random(3)
    vocab = names.names.phrases[:100] + ["vitamin b12", "xxstatin", "lisinoprils", "mab", "the", "é", "5mg", "virus"]
    texts = TEXTS + [" ".join(rng.choice(vocab) + rng.choice(["", ",", "-", "."]) for _ in range(rng.randint(1, 80)))
                     for _ in range(300)]
    for text in texts:
        start = rng.randint(0, len(text))
        for span in ((0, len(text)), (start, rng.randint(start, len(text)))):
            assert _spans(names, text, *span) == _spans(names.whole, text, *span), (text, span)
