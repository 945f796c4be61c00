"""Completeness rules (HL201-HL212): what counts as a treatment, a harms discussion, a
referral, an author and a date; options; the examples. Each rule's own cases sit in
its module and run in test_rule_cases.py."""
import datetime as dt
from pathlib import Path

import pytest

from healthlint.analysis.currency import parse_date
from healthlint.analysis.treatments import find_treatment
from healthlint.analysis import parse

ROOT = Path(__file__).resolve().parent.parent
HARMS_MSG = 'the article discusses "{}" but not its harms; add its side effects, risks, interactions and who should not use it'


def found(lint, text, select, path="case.md", **config):
    return [(v.line, v.column, v.code, v.message) for v in lint(text, select=select, path=path, **config)]


def where(lint, text, select, path="case.md", **config):
    return [(v.line, v.column, v.code) for v in lint(text, select=select, path=path, **config)]


# --- risk-disclosure -------------------------------------------------------------

ARTICLE = "# Ibuprofen for back pain\n\nIbuprofen eases back pain for many people.\n\n{}"


@pytest.mark.parametrize("harms", [
    "## Safety\n\nRead the leaflet.",
    "## Possible side effects\n\nStomach ache.",
    "## Who should not take it\n\nPeople with stomach ulcers.",
    "## Risks and warnings\n\nRead the leaflet.",
    "## When to stop\n\nStop if your stools turn black.",
    "It can cause stomach upset, so take it with food.",
    "Long use raises the risk of stomach bleeding.",
    "It interacts with blood thinners such as warfarin.",
    "Do not take it if you have asthma.",
    "Tell your doctor straight away if you have black stools.",
])
def test_harms_under_any_heading_or_in_running_text_silence_the_rule(lint, harms):
    assert found(lint, ARTICLE.format(harms), ["HL201"]) == []


@pytest.mark.parametrize("denial", [
    "It has no side effects.",
    "It is completely safe.",
    "It is risk-free and side-effect-free.",
    "Unlike other pills, it is free of side effects.",
    "It does not cause side effects.",
    "It even reduces the side effects of chemotherapy.",
    "## No side effects\n\nTake as much as you like.",
])
def test_a_denial_is_not_a_disclosure(lint, denial):
    assert found(lint, ARTICLE.format(denial), ["HL201"]) == [(1, 3, "HL201", HARMS_MSG.format("Ibuprofen"))]


@pytest.mark.parametrize("harms", [
    "In the trial, 1 in 8 stopped taking it because of nausea or dizziness.",
    "People who took ibuprofen reported heartburn, and a few had a rash.",
    "The most common adverse events were headache and an upset stomach.",
    "Its safety in pregnancy is not yet known.",
    "It interacts with warfarin.",
])
def test_named_adverse_effects_withdrawals_and_unknowns_are_disclosures(lint, harms):
    assert found(lint, ARTICLE.format(harms), ["HL201"]) == []


@pytest.mark.parametrize("not_harms", [
    "Opioids, by contrast, can cause dependence and constipation.",
    "People with diabetes are at high risk of nerve pain.",
    "The team will assess the side effects over two years.",
    "It was well tolerated.",
    "It has minimal side effects.",
    "Back pain can cause complications such as poor sleep.",
])
def test_a_comparator_a_disease_a_plan_or_a_verdict_is_not_a_disclosure(lint, not_harms):
    assert found(lint, ARTICLE.format(not_harms), ["HL201"]) == [(1, 3, "HL201", HARMS_MSG.format("Ibuprofen"))]


@pytest.mark.parametrize("title,subject", [
    ("Scientists report beetroot juice lowers blood pressure", "beetroot juice"),
    ("Lakeside team shows that sour cherries ease gout", "sour cherries"),
    ("Radiation prior to surgery reduces relapse", "Radiation"),
    ("Proton therapy spares hearing in children", "Proton therapy"),
    ("Treadmill walking helps runners after knee surgery", "Treadmill walking"),
])
def test_the_subject_is_what_the_title_is_about(title, subject):
    doc = parse("case.md", f"# {title}\n\nAdults took part for a month. Knee surgery and radiation were common.")
    assert find_treatment(doc, {}).name == subject


def test_a_title_that_only_says_who_reports_names_no_subject():
    for title in ("Lakeside University team identifies new options", "Study confirms benefits for seniors"):
        assert find_treatment(parse("case.md", f"# {title}\n\nThe team met in May."), {}) is None


def test_the_finding_names_the_main_treatment_and_sits_on_its_first_mention(lint):
    text = ("Antidepressants can take weeks to work.\n\n"
            "Now clinics offer *ketamine* infusions. Ketamine acts in hours, and ketamine is popular.")
    assert found(lint, text, ["HL201"]) == [(3, 20, "HL201", HARMS_MSG.format("ketamine"))]


def test_intervention_words_count_when_no_treatment_is_named(lint):
    assert where(lint, "Sleep well.\n\nA daily supplement keeps joints supple.", ["HL201"]) == [(3, 9, "HL201")]


def test_drug_name_stems_match_whole_words_only(lint):
    text = "In April the environment of the Guadalquivir valley is hot; pril, vir and mab are stems."
    assert where(lint, text, ["HL201"]) == []
    assert where(lint, "Doctors may add candesartan or adalimumabs.", ["HL201"]) == [(1, 17, "HL201")]


def test_vitamins_by_letter_are_whole_words():
    assert find_treatment(parse("case.md", "Many adults take vitamin B12 in winter."), {}).name == "vitamin B12"
    assert find_treatment(parse("case.md", "Many adults take a multivitamin D tablet."), {}) is None


def test_drug_name_stems_do_not_match_ordinary_english():
    words = ["environment", "april", "cholesterol", "magazine", "concept", "virtue", "alpine",
             "provincial", "guadalquivir", "lolol", "histidine", "environmental", "survival"]
    doc = parse("case.md", " ".join(words) + ".")
    assert find_treatment(doc, {}) is None


def test_no_treatment_no_finding(lint):
    text = (ROOT / "examples" / "sleep-tips.txt").read_text(encoding="utf-8")
    assert where(lint, text, ["HL201", "HL210", "HL211", "HL212"], path="sleep-tips.txt") == []


def test_negated_mentions_and_non_treatment_uses_are_not_treatments(lint):
    text = "No pill can replace sleep. Sleep medicine is a field; a dose of daylight helps."
    assert where(lint, text, ["HL201"]) == []


def test_extra_and_ignored_treatments_from_config(lint):
    text = "GoldenRoot eases stiff knees."
    assert where(lint, text, ["HL201"]) == []
    rules = {"risk-disclosure": {"extra-treatments": ["GoldenRoot"]}}
    assert found(lint, text, ["HL201"], rules=rules) == [(1, 1, "HL201", HARMS_MSG.format("GoldenRoot"))]
    rules = {"risk-disclosure": {"ignore-treatments": ["ketamine"]}}
    assert where(lint, "Ketamine acts fast.", ["HL201"], rules=rules) == []


def test_extra_harm_cues_from_config(lint):
    rules = {"risk-disclosure": {"extra-harm-cues": ["what to watch out for"]}}
    text = "Ketamine acts fast. Here is what to watch out for."
    assert where(lint, text, ["HL201"]) == [(1, 1, "HL201")]
    assert where(lint, text, ["HL201"], rules=rules) == []


# --- professional-advice ---------------------------------------------------------

ADVICE = "# Melatonin\n\nFor jet lag, take 1 mg an hour before bed.\n\n{}"


@pytest.mark.parametrize("note", [
    "Talk to your doctor or pharmacist first if you take other medicines.",
    "Check with a pharmacist before you start.",
    "If symptoms last more than a week, seek medical advice.",
    "Ask your GP whether it suits you.",
    "Call 999 if you have chest pain.",
    "Go to A&E if you cannot breathe.",
    "Don't give it to children without speaking to a doctor.",
])
def test_a_referral_or_when_to_seek_care_silences_professional_advice(lint, note):
    assert where(lint, ADVICE.format(note), ["HL202"]) == []


def test_professional_advice_fires_on_the_first_advice(lint):
    assert found(lint, ADVICE.format("It wears off by morning."), ["HL202"]) == [
        (3, 14, "HL202", 'the article gives health advice ("take") but never suggests talking to a doctor, '
                         "pharmacist or other professional, or says when to seek care; add such a note")]


def test_a_negated_referral_is_not_a_referral(lint):
    assert where(lint, ADVICE.format("There is no need to see a doctor."), ["HL202"]) == [(3, 14, "HL202")]


def test_advice_about_no_treatment_or_condition_is_not_health_advice(lint):
    assert where(lint, "Add the flour. Keep stirring.", ["HL202"]) == []
    assert where(lint, "Add more fibre to ease constipation.", ["HL202"]) == [(1, 1, "HL202")]


# --- missing-author, missing-date, outdated-review -------------------------------

@pytest.mark.parametrize("value,expected", [
    ("2026-09-14", dt.date(2026, 9, 14)),
    ("14 September 2026", dt.date(2026, 9, 14)),
    ("14th of Sept. 2026", dt.date(2026, 9, 14)),
    ("September 14, 2026", dt.date(2026, 9, 14)),
    ("Sep 14 2026", dt.date(2026, 9, 14)),
    ("14/09/2026", dt.date(2026, 9, 14)),
    ("09/14/2026", dt.date(2026, 9, 14)),
    ("2026/09/14", dt.date(2026, 9, 14)),
    ("September 2026", dt.date(2026, 9, 30)),
    ("2026-02", dt.date(2026, 2, 28)),
    (2024, dt.date(2024, 12, 31)),
    ("2024", dt.date(2024, 12, 31)),
    (dt.date(2026, 9, 14), dt.date(2026, 9, 14)),
    (dt.datetime(2026, 9, 14, 8, 30), dt.date(2026, 9, 14)),
    ("soon", None), ("2026-13-40", None), (None, None), (True, None), ("31 February 2026", None),
])
def test_parse_date(value, expected):
    assert parse_date(value) == expected


def test_yaml_dates_are_read(lint):
    assert where(lint, "---\ndate: 2026-09-14\nupdated: 2026-10-01 08:00:00\n---\n\nText.", ["HL204"]) == []


def test_currency_findings_sit_on_line_1(lint):
    text = "---\ntitle: Melatonin\n---\n\n# Melatonin\n\nText."
    assert found(lint, text, ["HL203", "HL204"]) == [
        (1, 1, "HL203", 'no author or medical reviewer is named; add "author:" (and "medical_reviewer:") to the '
                        'front matter, or a visible "By ..." line with their name and role'),
        (1, 1, "HL204", 'no publication or review date; add "last_reviewed: YYYY-MM-DD" to the front matter, or a '
                        'visible "Last reviewed: ..." line')]


def test_plain_text_has_only_visible_lines(lint):
    assert where(lint, "---\ntitle: Sleep\n---\n\nText.", ["HL203", "HL204"], path="a.txt") == [
        (1, 1, "HL203"), (1, 1, "HL204")]
    text = "MELATONIN\nBy Dr Jane Smith, GP\nLast reviewed: 14 September 2026\n\nText."
    assert where(lint, text, ["HL203", "HL204"], path="a.txt") == []


def test_a_sentence_starting_with_by_is_not_a_byline(lint):
    text = "By Monday most travellers feel better, and by then the effect has faded."
    assert where(lint, text, ["HL203"], path="a.txt") == [(1, 1, "HL203")]


@pytest.mark.parametrize("today,age,expected", [
    ("2026-09-13", 3, []),
    ("2029-09-14", 3, []),            # exactly 3 years: not yet outdated
    ("2029-09-15", 3, [(1, 1, "HL205")]),
    ("2027-09-15", 1, [(1, 1, "HL205")]),
    ("2028-02-29", 2, []),            # a leap day still works
])
def test_outdated_review_uses_the_injected_today_and_the_configured_age(lint, today, age, expected):
    text = "---\npublished: 2020-01-01\nlast_reviewed: 2026-09-14\n---\n\nText."
    rules = {"outdated-review": {"today": today, "max-age-years": age}}
    assert where(lint, text, ["HL205"], rules=rules) == expected


def test_outdated_review_message_names_the_newest_date(lint):
    rules = {"outdated-review": {"today": "2026-11-23"}}
    text = "MELATONIN\nLast updated: 2 May 2019\n\nText."
    assert found(lint, text, ["HL205"], path="a.txt", rules=rules) == [
        (1, 1, "HL205", "the newest date on this article is 2019-05-02, more than 3 years ago; review it against "
                        "current guidance and update its review date")]


def test_outdated_review_defaults_to_the_real_today(lint, monkeypatch):
    import healthlint.checks.currency as currency

    class Fixed(dt.date):
        @classmethod
        def today(cls):
            return cls(2030, 1, 1)
    monkeypatch.setattr(currency.dt, "date", Fixed)
    assert where(lint, "---\ndate: 2026-09-14\n---\n\nText.", ["HL205"]) == [(1, 1, "HL205")]


# --- balance rules ---------------------------------------------------------------

def test_balance_rules_are_off_by_default(lint):
    text = "---\nauthor: A B\ndate: 2026-09-14\n---\n\nKetamine helps. It can cause nausea. Ask your doctor."
    assert where(lint, text, None) == []
    assert where(lint, text, ["HL210", "HL211", "HL212"]) == [
        (6, 1, "HL210"), (6, 1, "HL211"), (6, 10, "HL212")]
    assert where(lint, text, None, extend_select=["HL21"]) == [(6, 1, "HL210"), (6, 1, "HL211"), (6, 10, "HL212")]


# --- the examples ----------------------------------------------------------------

def test_the_balanced_statins_article_is_clean_under_every_completeness_rule(lint):
    text = (ROOT / "examples" / "statins-balanced.md").read_text(encoding="utf-8")
    rules = {"outdated-review": {"today": "2026-11-23"}}
    assert where(lint, text, ["HL201", "HL202", "HL203", "HL204", "HL205"], rules=rules) == []


def test_the_melatonin_example_shows_each_rule(lint):
    text = (ROOT / "examples" / "melatonin-jet-lag.md").read_text(encoding="utf-8")
    assert where(lint, text, ["HL2"]) == [
        (1, 1, "HL203"), (1, 1, "HL205"), (7, 3, "HL201"), (7, 3, "HL210"), (7, 3, "HL211"),
        (11, 27, "HL212"), (15, 1, "HL202")]
