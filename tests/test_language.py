"""plain-language and stigmatizing-language: definitions, audience, first use, quotes, clinical words."""
import pytest

from healthlint.analysis import parse
from healthlint.analysis.text import is_defined


def _hits(lint, text, code, **config):
    return [(v.line, v.column, v.message, v.suggestion) for v in lint(text, select=[code], **config) if v.code == code]


def _defined(text, term, explanation):
    doc = parse("x.md", text)
    start = doc.prose.lower().index(term)
    return is_defined(doc.prose, doc.sentence_at(start), start, start + len(term), explanation)


@pytest.mark.parametrize("text,expected", [
    ("Hypertension (high blood pressure) is common.", True),
    ("High blood pressure (hypertension) is common.", True),
    ("Hypertension, or high blood pressure, is common.", True),
    ("This is called hypertension.", True),
    ("Hypertension, which means your blood pressure stays high, is common.", True),
    ("Hypertension is common. It means high blood pressure.", False),  # another sentence
    ("Hypertension or diabetes can harm the kidneys.", False),          # a list, not a definition
    ("Hypertension is common.", False),
])
def test_is_defined(text, expected):
    assert _defined(text, "hypertension", "high blood pressure") is expected


def test_each_use_is_reported_until_the_term_is_defined(lint):
    text = "Hypertension is common.\n\nHypertension (high blood pressure) is treatable.\n\nHypertension can be silent."
    assert _hits(lint, text, "HL310") == [
        (1, 1, 'use "High blood pressure" instead of "Hypertension", or explain it in the same sentence',
         "High blood pressure")]


def test_first_use_only_reports_each_term_once(lint):
    text = "Utilize the cuff. Then utilize it again.\n\nUtilize a diary."
    assert [h[:2] for h in _hits(lint, text, "HL310")] == [(1, 1), (1, 24), (3, 1)]
    assert [h[:2] for h in _hits(lint, text, "HL310", rules={"plain-language": {"first-use-only": True}})] == [(1, 1)]


def test_professional_audience_turns_plain_language_off(lint):
    text = "Hypertension raises the risk of myocardial infarction."
    assert [h[:2] for h in _hits(lint, text, "HL310")] == [(1, 1), (1, 33)]
    assert _hits(lint, text, "HL310", rules={"plain-language": {"audience": "professional"}}) == []


def test_plain_language_severity_follows_the_audience_and_stigmatizing_language_is_warning(lint):
    [patient] = lint("Utilize it.", select=["HL310"])
    [general] = lint("Utilize it.", select=["HL310"], rules={"plain-language": {"audience": "general"}})
    [stigma] = lint("He is an addict.", select=["HL320"])
    assert (patient.severity.name, general.severity.name, stigma.severity.name) == ("WARNING", "INFO", "WARNING")


def test_stigmatizing_language_suggests_a_respectful_alternative(lint):
    assert _hits(lint, "Her brother committed suicide.", "HL320") == [
        (1, 13, '"committed suicide" frames suicide as a crime or sin; say "died by suicide"', "died by suicide")]
    assert _hits(lint, "People suffering from asthma can exercise.", "HL320") == [
        (1, 8, '"suffering from" frames a person as passive or pitiable; say "living with"', "living with")]


@pytest.mark.parametrize("text", [
    "Diabetic retinopathy and diabetic neuropathy are common. A diabetic diet is not required.",
    "An epileptic seizure usually stops within two minutes.",
    "Alcoholic drinks raise blood pressure. Alcoholics Anonymous meets weekly.",
    "Wash your hands with clean water. Dirty needles spread infection.",
    "Insomnia, panic attacks, bipolar disorder and OCD are common; she felt depressed.",
    "He said: “I was an addict and a junkie.”",
    "> My doctor called me a diabetic.",
    "She was the victim of a car crash.",
])
def test_stigmatizing_language_stays_silent(lint, text):
    assert _hits(lint, text, "HL320") == []


@pytest.mark.parametrize("text,col", [
    ("The clinic turned away a diabetic.", 24),
    ("Diabetics should check their feet.", 1),
    ("His drug test was clean.", 10),
    ("A dirty urine sample means a relapse.", 3),
    ("He was a schizophrenic who heard voices.", 8),
    ("Two patients failed first-line chemotherapy.", 5),
])
def test_stigmatizing_language_flags_nouns_and_drug_test_slang(lint, text, col):
    assert [h[:2] for h in _hits(lint, text, "HL320")] == [(1, col)]
