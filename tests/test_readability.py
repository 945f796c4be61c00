"""Readability rules: scores equal textstat's on the same prose; targets, options, anchors."""
import pytest
import textstat

from healthlint.analysis.reading import dale_chall_grade, dale_chall_score, textstat_scorer
from healthlint.registry import build_registry

# the readability rule's own examples (its spec's docs): a dense paragraph and a plain one
_DOCS = build_registry(entry_points=[]).get("readability").docs
LONG_TEXT, EASY_TEXT = _DOCS.bad, _DOCS.good
from healthlint.config import ConfigError

ARTICLE = (
    "---\ntitle: Blood pressure\n---\n\n# High blood pressure\n\n"
    + LONG_TEXT + "\n\n"
    "- Check [your numbers](https://example.com/numbers) often\n"
    "- Take `amlodipine` as prescribed\n\n"
    "```\ncode is never scored\n```\n\n"
    "| Drug | Use |\n|---|---|\n| cell text | never scored |\n\n"
    + LONG_TEXT + "[^1]\n\n[^1]: A reference is never scored.\n"
)
# What textstat must see: paragraphs and list items, one a line, each ending a sentence;
# no front matter, headings, URLs, inline code, code blocks, table cells or footnotes.
PROSE = LONG_TEXT + "\nCheck your numbers often.\nTake as prescribed.\n" + LONG_TEXT


def _findings(lint, text, code, **config):
    return [v for v in lint(text, select=[code], **config) if v.code == code]


def test_document_scores_match_textstat_on_the_same_prose(lint):
    textstat_scorer()  # the same (offline) syllable source as the rule
    fk, smog, fog = (round(f(PROSE), 1) for f in (textstat.flesch_kincaid_grade, textstat.smog_index,
                                                  textstat.gunning_fog))
    dc = round(max(0, 2 * (textstat.dale_chall_readability_score(PROSE) - 5)), 1)
    [v] = _findings(lint, ARTICLE, "HL301")
    assert (v.line, v.column, v.severity.name) == (1, 1, "WARNING")
    assert v.message == (f"reading grade {dc:.1f} (Dale-Chall; Flesch-Kincaid {fk:.1f}, SMOG {smog:.1f}, Gunning fog {fog:.1f}) is "
                         "above the grade 8 target for patient readers; use shorter sentences and everyday "
                         "words, starting with the passages marked hard-passage")


def test_formula_option_picks_the_score_compared(lint):
    textstat_scorer()
    smog = round(textstat.smog_index(PROSE), 1)
    [v] = _findings(lint, ARTICLE, "HL301", rules={"readability": {"formula": "smog"}})
    assert v.message.startswith(f"reading grade {smog:.1f} (SMOG; Dale-Chall ")
    fk = round(textstat.flesch_kincaid_grade(PROSE), 1)
    [v] = _findings(lint, ARTICLE, "HL301", rules={"readability": {"formula": "flesch-kincaid"}})
    assert v.message.startswith(f"reading grade {fk:.1f} (Flesch-Kincaid; Dale-Chall ")


@pytest.mark.parametrize("options,fires", [
    ({}, True), ({"audience": "general"}, True), ({"audience": "professional"}, False),
    ({"max-grade": 30}, False), ({"min-words": 1000}, False)])
def test_audience_and_thresholds(lint, options, fires):
    assert bool(_findings(lint, ARTICLE, "HL301", rules={"readability": options})) is fires


def test_general_audience_target_is_in_the_message(lint):
    [v] = _findings(lint, ARTICLE, "HL301", rules={"readability": {"audience": "general"}})
    assert "above the grade 10 target for general readers" in v.message


def test_easy_text_is_under_the_target(lint):
    textstat_scorer()
    assert textstat.flesch_kincaid_grade(EASY_TEXT + "\n" + EASY_TEXT) <= 8
    assert dale_chall_grade(textstat.dale_chall_readability_score(EASY_TEXT + "\n" + EASY_TEXT)) <= 8
    assert _findings(lint, EASY_TEXT + "\n\n" + EASY_TEXT, "HL301") == []


def test_unknown_audience_is_a_config_error(lint):
    with pytest.raises(ConfigError) as error:
        lint(ARTICLE, select=["HL301"], rules={"readability": {"audience": "kids"}})
    assert str(error.value) == ("command line: rules.readability.audience must be one of patient, general, "
                                "professional, not 'kids'")


def test_hard_passage_grade_matches_textstat_and_anchors_on_the_paragraph(lint):
    textstat_scorer()
    text = "# Blood pressure\n\n" + EASY_TEXT + "\n\n## Treatment\n\n" + LONG_TEXT
    [v] = _findings(lint, text, "HL302")
    grade = dale_chall_grade(textstat.dale_chall_readability_score(LONG_TEXT))
    assert (v.line, v.column, v.severity.name) == (7, 1, "INFO")
    assert v.message.startswith(f"hard passage: grade {grade:.1f} (Dale-Chall) against a target of 8 ")
    assert "long words (" in v.message
    assert "uncommon words such as “comorbidities”, “tolerability”, “cardiovascular”;" in v.message


def test_uncommon_words_name_medical_abbreviations_but_not_names_or_numerals():
    from healthlint.analysis.reading import word_difficulty
    text = ("The CEO of Lakeview Hospital said the phase III trial at UCLA lowered LDL. "
            "Patients discussed their cholesterol with clinicians.")
    _, _, uncommon, _ = word_difficulty(text)
    assert uncommon[0] == "LDL"
    assert {"CEO", "III", "UCLA"}.isdisjoint(uncommon)


def test_hard_passage_reports_the_hardest_first_and_at_most_max_passages(lint):
    text = "\n\n".join([LONG_TEXT, EASY_TEXT, LONG_TEXT, LONG_TEXT])
    assert [v.line for v in _findings(lint, text, "HL302")] == [1, 5, 7]
    assert len(_findings(lint, text, "HL302", rules={"hard-passage": {"max-passages": 1}})) == 1


def test_short_paragraphs_are_scored_together_within_a_section(lint):
    sentence = "Pharmacological management typically incorporates angiotensin-converting enzyme inhibitors."
    para = " ".join([sentence] * 3)  # 3 sentences, 24 words: too short alone
    joined = f"{para}\n\n{para}\n\n{para}"
    assert [v.line for v in _findings(lint, joined, "HL302")] == [1]
    split = f"{para}\n\n# Next\n\n{para}\n\n# Last\n\n{para}"
    assert _findings(lint, split, "HL302") == []


LONG = ("If you have been told by your doctor that your blood pressure is higher than it should be, "
        "it is important that you take the medicine you were given every day even when you feel well.")


def test_long_sentence_counts_words_and_anchors_at_the_sentence(lint):
    [v] = _findings(lint, "Short.\n\n* " + LONG + " Then rest.", "HL303")
    assert (v.line, v.column, v.end_column) == (3, 3, 3 + len(LONG))
    assert v.message == ("sentence has 36 words (more than 25); split it or cut words a reader does not need")


def test_long_sentence_limit_is_an_option(lint):
    text = "Take your medicine every day, even when you feel well and nothing hurts."
    assert _findings(lint, text, "HL303") == []
    [v] = _findings(lint, text, "HL303", rules={"long-sentence": {"max-words": 10}})
    assert v.message.startswith("sentence has 13 words (more than 10)")


def test_long_sentence_in_a_blockquote_is_an_option(lint):
    assert _findings(lint, "> " + LONG, "HL303") == []
    assert len(_findings(lint, "> " + LONG, "HL303", rules={"long-sentence": {"skip-blockquotes": False}})) == 1


def test_statins_example_is_clean(lint):
    from pathlib import Path
    text = (Path(__file__).parent.parent / "examples" / "statins-balanced.md").read_text(encoding="utf-8")
    assert [v for v in lint(text, select=["HL301", "HL302", "HL303", "HL310", "HL320"])] == []


def test_sped_up_textstat_scores_equal_textstat_as_shipped():
    """healthlint enlarges textstat's caches and counts syllables once per word
    (readability._speed_up); a textstat left as shipped must give the same scores."""
    import json
    import subprocess
    import sys
    from pathlib import Path

    from healthlint.analysis.reading import prose_blocks, scored_text
    from healthlint.analysis import parse
    examples = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.md"))
    texts = [scored_text(doc, prose_blocks(doc)) for doc in (parse(p.name, p.read_text()) for p in examples)]
    texts += [LONG_TEXT, EASY_TEXT, "Don't stop. It's fine; they'd agree. Antidepressants help.", ""]
    shipped = subprocess.run([sys.executable, "-c", """
import json, sys
from healthlint.analysis.reading import _offline_cmudict_module
sys.modules["textstat.backend.utils._get_cmudict"] = _offline_cmudict_module()  # no NLTK, as in healthlint
from textstat.textstat import textstatistics
ts = textstatistics()
ts.set_lang("en_US")
print(json.dumps([[ts.flesch_kincaid_grade(t), ts.smog_index(t), ts.gunning_fog(t), ts.syllable_count(t),
                   ts.dale_chall_readability_score(t)] for t in json.load(sys.stdin)]))
"""], input=json.dumps(texts), capture_output=True, text=True, check=True)
    ts = textstat_scorer()
    ours = [[ts.flesch_kincaid_grade(t), ts.smog_index(t), ts.gunning_fog(t), ts.syllable_count(t),
             dale_chall_score(t)] for t in texts]
    assert len(texts) > 8 and ours == json.loads(shipped.stdout)


def test_grades_from_block_counts_equal_textstat_on_the_joined_text():
    """HL301 and HL302 add up counts made once per block (reading.blocks_grade): the grade must
    be the one textstat gives the passage's scored text, and so must the word count."""
    from pathlib import Path

    from healthlint.analysis import parse
    from healthlint.analysis.reading import (blocks_grade, blocks_word_count, grade, prose_blocks, scored_text,
                                             word_count)
    examples = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.md"))
    cases = [p.read_text() for p in examples] + [
        LONG_TEXT, EASY_TEXT,
        "Yes.\n\nNo.\n\nIt is fine, they say!\n\nA list item without a stop\n\n“Really?” she asked.\n",
        "The wait goes on…\n\nand on, for weeks.\n\nAsk first.\n",   # … : textstat's sentence runs on
        "Take it (with food).\n\n- one\n- two\n\nOk.\n"]
    checked = 0
    for text in cases:
        doc = parse("case.md", text)
        blocks = prose_blocks(doc)
        for group in [blocks, blocks[:2], blocks[1:], blocks[::2]]:
            joined = scored_text(doc, group)
            assert blocks_word_count(doc, group) == word_count(joined)
            for formula in ("dale-chall", "flesch-kincaid", "smog", "gunning-fog"):   # reading.py copies textstat's formulas
                assert blocks_grade(doc, group, formula) == grade(joined, formula), (joined, formula)
            checked += 1
    assert checked == 4 * len(cases)


def test_long_sentences_inside_a_hard_passage_are_reported_once(lint):
    from healthlint.analysis import parse
    from healthlint.analysis.reading import words_in
    text = "# One\n\n" + LONG + "\n\n# Two\n\n" + LONG_TEXT + "\n"
    passage = parse("case.md", LONG_TEXT)
    lengths = [words_in(passage, s, e) for s, e in passage.sentences]
    assert sum(n > 25 for n in lengths) >= 1          # the hard passage holds a long sentence of its own
    alone = _findings(lint, text, "HL303")
    assert [v.line for v in alone] == [3] + [7] * sum(n > 25 for n in lengths)
    found = [(v.code, v.line) for v in lint(text, select=["HL302", "HL303"])]
    assert found == [("HL303", 3), ("HL302", 7)]     # the long sentence outside the passage stays
    [passage_finding] = _findings(lint, text, "HL302")
    assert (passage_finding.end_line, passage_finding.end_column) == (7, 1 + len(LONG_TEXT))
    assert f"longest {max(lengths)})" in passage_finding.message


def test_a_suppressed_hard_passage_leaves_its_long_sentences(lint):
    text = "<!-- healthlint-disable-next-line HL302 -->\n" + LONG_TEXT + "\n"
    found = {v.code for v in lint(text, select=["HL302", "HL303"])}
    assert found == {"HL303"}


def test_long_sentence_mostly_in_quotation_marks_is_an_option(lint):
    quoted = f'"{LONG}" said Dr. Ruiz.'
    curly = f"Dr. Ruiz said: “{LONG}”"
    reported = "Dr. Ruiz said that " + LONG[0].lower() + LONG[1:]
    assert _findings(lint, quoted, "HL303") == _findings(lint, curly, "HL303") == []
    assert [v.column for v in _findings(lint, reported, "HL303")] == [1]
    on = {"long-sentence": {"skip-quotations": False}}
    assert [v.column for v in _findings(lint, quoted, "HL303", rules=on)] == [1]


def test_statistics_are_hard_words_and_names_familiar_in_the_scored_text():
    from healthlint.analysis import parse
    from healthlint.analysis.reading import prose_blocks, scored_text
    doc = parse("case.md", "Fewer had a stroke (RR 0.71, 95% CI 0.50 to 1.15; p = 0.03) [12].\n\n"
                           "The nurse, Olga Petrova, says 1 in 10 people stop.\n")
    assert scored_text(doc, prose_blocks(doc)) == (
        "Fewer had a stroke (RR numeral, numeral CI numeral to numeral; p = numeral).\n"
        "The nurse, Name Name, says numeral in numeral people stop.")


@pytest.mark.parametrize("address", ["www.cdc.gov", "www.cdc.gov/flu", "https://cdc.gov", "help@cdc.gov"])
def test_a_web_or_mail_address_is_one_word_in_the_scored_text_of_a_document_that_keeps_urls(address):
    from healthlint.analysis import Article
    from healthlint.analysis.reading import prose_blocks, scored_text
    from healthlint.document import parse_into
    doc = parse_into(Article("case.md", f"Visit {address} for tips.\n"), keep_urls=True)   # as the HTML report reads it
    assert scored_text(doc, prose_blocks(doc)) == "Visit link for tips."
