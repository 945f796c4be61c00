"""Document zones (healthlint/analysis/zones.py): title, headings, byline, dateline, body,
quotations and attributed speech, block quotes, captions, tables, lists, reference lists and
boilerplate; names of organisations and studies; plain-text headings. Every text here is
invented for the test."""
import time

import pytest

from healthlint.analysis import parse
from healthlint.analysis.zones import DEFAULT_ZONES, ZONES, dateline_span, in_name, name_spans, zones_of


def zoned(text, path="case.md"):
    """[(zone, block text)] of a document."""
    doc = parse(path, text)
    zones = zones_of(doc)
    return [(zones.block_zone(b), doc.text(b)) for b in doc.blocks]


def span_texts(text, zone, path="case.md"):
    doc = parse(path, text)
    return [doc.prose[s:e] for s, e in zones_of(doc).spans(zone)]


def where(doc, start, end):
    """line:col-line:col of a prose span in the source."""
    s, e = doc.to_source(start, end)
    (l1, c1), (l2, c2) = doc.position(s), doc.position(e)
    return f"{l1}:{c1}-{l2}:{c2}"


RELEASE = """\
# Lantern Trial Finds Night-Light Therapy Eases Jet Lag

By Dr Maya Okafor

PORTLAND, Ore. (May 4, 2023) - A dim amber lamp helped travellers adjust faster, a study by the \
Division of Sleep Medicine at Cascade University reports.

"We were surprised by how quickly people adapted," said Dr. Ruiz. Travellers slept an hour \
longer on the second night, Ruiz said.

The study was funded by the Lantern Sleep Foundation (grant R01 AB123456). The lamp costs $40.

![a chart of sleep hours](chart.png)

Hours slept on each night of the trip.

Figure 2. Sleep onset by group.

- Keep the lamp at arm's length.
- Switch it off at bedtime.

| night | hours |
|---|---|
| one | 6 |

> Light is the strongest clock signal we have.

## References

1. Okafor M, Ruiz L. Amber light and jet lag. J Travel Med. 2022;29:101.
2. Brand et al. Light timing in shift work. Sleep. 2019;42:77.

## About Cascade University

Cascade University is a nonprofit research university founded in 1911.

### Media contact

Lena Brook, 503-555-0142

## What travellers should know

Ask your doctor about light therapy, and contact your clinic if sleep problems last.

###

Cascade University is ranked among the top ten.
"""


def test_every_zone_of_a_press_release():
    assert zoned(RELEASE) == [
        ("title", "Lantern Trial Finds Night-Light Therapy Eases Jet Lag"),
        ("byline", "By Dr Maya Okafor"),
        ("body", "PORTLAND, Ore. (May 4, 2023) - A dim amber lamp helped travellers adjust faster, a study by "
                 "the Division of Sleep Medicine at Cascade University reports."),
        ("body", '"We were surprised by how quickly people adapted," said Dr. Ruiz. Travellers slept an hour '
                 "longer on the second night, Ruiz said."),
        ("body", "The study was funded by the Lantern Sleep Foundation (grant R01 AB123456). The lamp costs $40."),
        ("caption", "Hours slept on each night of the trip."),
        ("caption", "Figure 2. Sleep onset by group."),
        ("list", "Keep the lamp at arm's length."),
        ("list", "Switch it off at bedtime."),
        ("table", "night"), ("table", "hours"), ("table", "one"), ("table", "6"),
        ("blockquote", "Light is the strongest clock signal we have."),
        ("references", "References"),
        ("references", "Okafor M, Ruiz L. Amber light and jet lag. J Travel Med. 2022;29:101."),
        ("references", "Brand et al. Light timing in shift work. Sleep. 2019;42:77."),
        ("boilerplate", "About Cascade University"),
        ("boilerplate", "Cascade University is a nonprofit research university founded in 1911."),
        ("boilerplate", "Media contact"),
        ("boilerplate", "Lena Brook, 503-555-0142"),
        ("heading", "What travellers should know"),     # a heading of the same level ends the About section
        ("body", "Ask your doctor about light therapy, and contact your clinic if sleep problems last."),
        ("boilerplate", "Cascade University is ranked among the top ten."),   # after the ### end mark
    ]


def test_span_zones_of_a_press_release_with_exact_positions():
    doc = parse("case.md", RELEASE)
    zones = zones_of(doc)
    start, end = dateline_span(doc)
    assert doc.prose[start:end] == "PORTLAND, Ore. (May 4, 2023) -"
    assert where(doc, start, end) == "5:1-5:31"
    assert [(doc.prose[s:e], where(doc, s, e)) for s, e in zones.spans("quotation")] == [
        ('"We were surprised by how quickly people adapted," said Dr. Ruiz.', "7:1-7:66"),
        ("Travellers slept an hour longer on the second night, Ruiz said.", "7:67-7:130"),
    ]
    funding = zones.spans("boilerplate")[0]
    assert doc.prose[funding[0]:funding[1]] == \
        "The study was funded by the Lantern Sleep Foundation (grant R01 AB123456)."
    body = doc.prose.index("The lamp costs")
    assert zones.zone_at(body) == "body" and zones.zone_at(funding[0]) == "boilerplate"
    assert zones.zone_at(start) == "dateline" and zones.zone_at(end + 2) == "body"


def test_in_zones_asks_about_every_character():
    doc = parse("case.md", RELEASE)
    zones = zones_of(doc)
    lamp = doc.prose.index("A dim amber lamp")
    assert zones.in_zones(lamp, lamp + 16, DEFAULT_ZONES)
    start, end = dateline_span(doc)
    assert not zones.in_zones(start, lamp + 5, DEFAULT_ZONES)       # starts in the dateline
    quote = doc.prose.index("We were surprised")
    assert not zones.in_zones(quote, quote + 5, DEFAULT_ZONES)
    assert zones.in_zones(quote, quote + 5, DEFAULT_ZONES | {"quotation"})
    about = doc.prose.index("nonprofit research")
    assert not zones.in_zones(about, about + 9, DEFAULT_ZONES)
    assert zones.in_zones(about, about + 9, frozenset({"boilerplate"}))
    assert set(zones.block_zones) | {z for *_, z in zip(zones._seg_starts, zones._seg_ends, zones._seg_zones)} \
        <= set(ZONES)
    assert DEFAULT_ZONES == frozenset({"title", "heading", "body", "list", "caption"})


def test_zones_are_computed_once_per_document():
    doc = parse("case.md", RELEASE)
    assert zones_of(doc) is zones_of(doc)
    assert name_spans(doc) is name_spans(doc)


# --- datelines -----------------------------------------------------------------------------------

@pytest.mark.parametrize("opening,dateline", [
    ("SACRAMENTO, Calif. (Aug. 22, 2017) - A new test", "SACRAMENTO, Calif. (Aug. 22, 2017) -"),
    ("BOSTON — March 3, 2021 — A new test", "BOSTON — March 3, 2021 —"),
    ("(Reuters Health) - A new test", "(Reuters Health) -"),
    ("Newswise — A new test", "Newswise —"),
    ("Newswise — TOLEDO, Ohio – A new test", "Newswise — TOLEDO, Ohio –"),
    ("DENVER -- A new test", "DENVER --"),
    ("Duluth, Minn., Feb. 9, 2022 /PRNewswire/ -- A new test", "Duluth, Minn., Feb. 9, 2022 /PRNewswire/ --"),
    ("OSLO--(BUSINESS WIRE)--Nordvik today said", "OSLO--(BUSINESS WIRE)--"),
    ("Leeds, England: A new test", "Leeds, England:"),
    ("Fresno, Calif. - 12 June 2020: A new test", "Fresno, Calif. - 12 June 2020:"),
    ("September 30, 2019 - A new test", "September 30, 2019 -"),
    ("(Tulsa, OK) A new test", "(Tulsa, OK)"),
    ("Salt Lake City--A new test", "Salt Lake City--"),
])
def test_a_dateline_opens_the_first_paragraph(opening, dateline):
    doc = parse("case.md", f"# A headline\n\n{opening} cut waiting times by half in a small clinic.\n")
    start, end = dateline_span(doc)
    assert doc.prose[start:end] == dateline
    assert zones_of(doc).block_zone(doc.blocks[1]) == "body"


@pytest.mark.parametrize("opening", [
    "Ketamine: A new hope for people with depression, some say.",
    "Depression - the silent epidemic - affects many adults.",
    "MEDIA CONTACT: Lena Brook.",
    "Omega-3 fatty acids may lower the risk of heart disease.",
    "From Aug. 25-28, the clinic will offer free checks.",
    "Sugar improves memory in older adults -- and makes them happier.",
    "Researchers in Boston found that light therapy helps.",
])
def test_no_dateline(opening):
    doc = parse("case.md", f"# A headline\n\n{opening}\n")
    assert dateline_span(doc) is None
    assert zones_of(doc).spans("dateline") == []


@pytest.mark.parametrize("line", [
    "For Immediate Release: March 3, 2021",
    "Published 3 May 2024",
    "Last updated: 14 September 2023",
    "EMBARGOED FOR RELEASE: 10 A.M. (ET), MONDAY, JUNE 5, 2023",
    "March 3, 2021 | by Lena Brook",
])
def test_a_dateline_line(line):
    assert zoned(f"# A headline\n\n{line}\n\nThe clinic opened.\n") == [
        ("title", "A headline"), ("dateline", line), ("body", "The clinic opened.")]


def test_a_dateline_after_a_subtitle_and_a_standalone_date_line():
    text = ("# Nap Pods Arrive\n\nA short subtitle without a full stop\n\n"
            "For Immediate Release: March 3, 2021\n\nMIAMI - Nap pods opened at the airport on Monday.\n")
    doc = parse("case.md", text)
    zones = zones_of(doc)
    assert [doc.prose[s:e] for s, e in zones.datelines] == ["For Immediate Release: March 3, 2021", "MIAMI -"]
    assert dateline_span(doc) == zones.datelines[0]


# --- bylines, captions ---------------------------------------------------------------------------

@pytest.mark.parametrize("line", ["By Dr Jane Smith", "Written by Tom Reyes, health reporter",
                                  "Medically reviewed by Dr Ann Lee", "By the Harbor Clinic Staff"])
def test_bylines(line):
    assert zoned(f"# Sleep\n\n{line}\n\nText.\n")[1] == ("byline", line)


@pytest.mark.parametrize("line", ["By the numbers, sleep is improving.", "By 2030, most clinics will offer it."])
def test_not_bylines(line):
    assert zoned(f"# Sleep\n\n{line}\n")[1] == ("body", line)


def test_captions():
    text = ("# Sleep\n\n![a lamp](lamp.png)\n*An amber lamp on a bedside table.*\n\n"
            "Photo: Lena Brook for Cascade University\n\nFig. 3: Hours slept by night.\n\nThe lamp is cheap.\n")
    assert zoned(text) == [("title", "Sleep"), ("caption", " An amber lamp on a bedside table."),
                           ("caption", "Photo: Lena Brook for Cascade University"),
                           ("caption", "Fig. 3: Hours slept by night."), ("body", "The lamp is cheap.")]


# --- quotations and attributed speech -----------------------------------------------------------

@pytest.mark.parametrize("sentence", [
    '"The lamp works," said Dr. Ruiz.',
    '“The lamp works,” Ruiz said.',
    'Dr. Ruiz said: “The lamp works for most people.”',
    "The lamp works for most people, Ruiz said.",
    "The lamp works for most people, said study leader Mina Cho, a professor of sleep medicine.",
    "According to Smith, the lamp works for most people.",
    "According to lead author Dr Mina Cho of Cascade University, the lamp works.",
    "The lamp works for most people, according to Dr. Cho.",
    "Dr. Mina Cho said the lamp works for most people.",
    "She said the lamp works for most people.",
])
def test_attributed_speech_is_a_quotation(sentence):
    text = f"The clinic opened in May. {sentence} It has ten beds.\n"
    assert span_texts(text, "quotation") == [sentence]
    doc = parse("case.md", text)
    zones = zones_of(doc)
    assert zones.zone_at(doc.prose.index("It has ten")) == "body"
    assert zones.zone_at(doc.prose.index("lamp works")) == "quotation"


@pytest.mark.parametrize("sentence", [
    "Researchers said the lamp works for most people.",
    "The study says the lamp works for most people.",
    "According to a new survey, the lamp works for most people.",
    "It said the lamp works.",
    "The United States approved the lamp.",
])
def test_not_attributed_speech(sentence):
    assert span_texts(f"{sentence}\n", "quotation") == []


def test_curly_and_straight_quotes_and_a_quote_over_two_paragraphs():
    text = ('The nurse called it a “game changer” and a "lifeline" for travellers.\n\n'
            '“Nobody expected it to work so well.\n\n"We will test it again next year," she added.\n')
    assert span_texts(text, "quotation") == ["“game changer”", '"lifeline"',
                                             "“Nobody expected it to work so well.",
                                             '"We will test it again next year," she added.']


def test_quoted_titles_in_a_reference_list_stay_references():
    text = '# Sleep\n\nText.\n\n## Sources\n\n- Cho M. "Amber light and sleep." J Sleep. 2020;1:2.\n'
    doc = parse("case.md", text)
    zones = zones_of(doc)
    assert zones.spans("quotation") == []
    assert zones.zone_at(doc.prose.index("Amber")) == "references"


# --- references ----------------------------------------------------------------------------------

def test_reference_lists():
    text = ("# Sleep\n\nThe lamp helps [1].\n\nReferences:\n\n[1] Yu et al. Presentation of amber light. "
            "Sleep Med. 2021;8:12.\n\n[2] Ito K, Sato R. Night light. 2018.\n\nBibliography\n\n"
            "Cho M, Ruiz L. Light and mood. J Sleep Res. 2020;29(3):e1.\n")
    assert zoned(text) == [
        ("title", "Sleep"), ("body", "The lamp helps [1]."), ("references", "References:"),
        ("references", "[1] Yu et al. Presentation of amber light. Sleep Med. 2021;8:12."),
        ("references", "[2] Ito K, Sato R. Night light. 2018."), ("references", "Bibliography"),
        ("references", "Cho M, Ruiz L. Light and mood. J Sleep Res. 2020;29(3):e1.")]


def test_numbered_entries_without_a_heading_and_footnotes():
    text = ("Light helps.[^1]\n\n1. Smith J, Lee K. Light therapy in travellers. J Travel Med. 2019;12:34.\n\n"
            "[^1]: Cho M. Amber light. 2020.\n")
    assert zoned(text) == [("body", "Light helps."),
                           ("references", "Smith J, Lee K. Light therapy in travellers. J Travel Med. 2019;12:34."),
                           ("references", "Cho M. Amber light. 2020.")]


def test_a_literature_cited_section_ends_at_a_long_paragraph():
    text = ("# Sleep\n\nText.\n\nLiterature cited\n\nOkafor M. Light. 2021.\n\n"
            + "This is a long paragraph of the article again with many words in it that go on and on "
              "for a while so that it is clearly not an entry of the list above.\n")
    assert [z for z, _ in zoned(text)] == ["title", "body", "references", "references", "body"]


# --- boilerplate ---------------------------------------------------------------------------------

@pytest.mark.parametrize("paragraph", [
    "This work was supported by the Lantern Sleep Foundation and by grant K23 HL112233.",
    "The authors declare no competing interests.",
    "Disclosure: Dr. Cho is a paid consultant to Nordvik Pharma.",
    "This press release contains forward-looking statements that involve risks and uncertainties.",
    "No forward-looking statement can be guaranteed, and actual results may differ materially.",
    "© 2023 Cascade University. All rights reserved.",
    "Follow us on Twitter and Facebook for sleep news.",
    "For more information, visit the clinic website or call the front desk.",
    "Media contact: Lena Brook, press office.",
    "Notes to editors: interviews can be arranged on request.",
])
def test_boilerplate_paragraphs(paragraph):
    assert zoned(f"# Sleep\n\nThe lamp helped travellers.\n\n{paragraph}\n")[2] == ("boilerplate", paragraph)


@pytest.mark.parametrize("paragraph", [
    "Ask your doctor about light therapy before a long trip.",
    "Patients should contact their clinic if problems last more than a week.",
    "About 40% of travellers have jet lag for three days or more.",
    "About half of shift workers sleep less than six hours.",
    "The lamp was supported by strong evidence from two trials.",
    "For most people, one week of light therapy is enough.",
    "The study was funded by Nordvik Pharma and found that the lamp cut jet lag by half.",
])
def test_body_paragraphs_that_look_a_little_like_boilerplate(paragraph):
    assert zoned(f"# Sleep\n\nThe lamp helped travellers.\n\n{paragraph}\n")[2] == ("body", paragraph)


def test_an_about_section_without_a_heading_runs_to_the_end():
    text = ("# Sleep\n\nThe lamp helped travellers.\n\nAbout Cascade University\n\n"
            "Cascade University is a leading research university in Oregon.\n\nIt has 30,000 students.\n")
    assert [z for z, _ in zoned(text)] == ["title", "body", "boilerplate", "boilerplate", "boilerplate"]


def test_an_about_paragraph_with_institution_text():
    text = ("The lamp helped travellers.\n\nAbout Harbor Medical Center: Harbor Medical Center is a nonprofit "
            "hospital devoted to finding cures for sleep disorders.\n\nMore text of the same section.\n")
    assert [z for z, _ in zoned(text)] == ["body", "boilerplate", "boilerplate"]


@pytest.mark.parametrize("about,paragraph,as_line,as_heading", [
    ("About Nordvik", "Nordvik is a company founded in 1990 and based in Oslo.",
     ["boilerplate", "boilerplate"], ["boilerplate", "boilerplate"]),
    ("About Lumora", "Lumora is a nasal spray that shortens jet lag in adults.", ["body", "body"], ["heading", "body"]),
    ("About Delayed Sleep Phase", "It is a common cause of late sleep in teenagers.",
     ["body", "body"], ["heading", "body"]),
])
def test_about_an_institution_is_boilerplate_about_a_product_is_not(about, paragraph, as_line, as_heading):
    assert [z for z, _ in zoned(f"# Sleep\n\nIntro.\n\n{about}\n\n{paragraph}\n")][2:] == as_line
    assert [z for z, _ in zoned(f"# Sleep\n\nIntro.\n\n## {about}\n\n{paragraph}\n")][2:] == as_heading


def test_about_the_study_is_the_article_itself():
    text = ("# Sleep\n\nIntro.\n\nAbout Cascade University\n\nA university.\n\nAbout the Study\n\n"
            "The trial enrolled 120 travellers.\n")
    assert [z for z, _ in zoned(text)] == ["title", "body", "boilerplate", "boilerplate", "body", "body"]


def test_a_nested_heading_stays_in_its_section():
    text = ("# Sleep\n\nIntro.\n\n## About us\n\nWe are a clinic.\n\n### Our mission\n\nBetter sleep.\n\n"
            "## Results\n\nThe lamp helped.\n")
    assert [z for z, _ in zoned(text)] == ["title", "body", "boilerplate", "boilerplate", "boilerplate",
                                           "boilerplate", "heading", "body"]


def test_a_contact_block_inside_an_about_section():
    text = ("# Sleep\n\n## About us\n\nWe are a clinic.\n\n### Media contact\n\nLena Brook\n\n503-555-0142\n\n"
            "The clinic has served the city for forty years and treats thousands of travellers with sleep "
            "problems every single year.\n\n## Results\n\nThe lamp helped.\n")
    assert [z for z, _ in zoned(text)] == ["title"] + ["boilerplate"] * 6 + ["heading", "body"]


@pytest.mark.parametrize("mark", ["###", "# # #", "-30-", "ENDS"])
def test_end_marks(mark):
    text = f"# Sleep\n\nThe lamp helped.\n\n{mark}\n\nThe clinic opened in 1990.\n\n## More\n\nIt has ten beds.\n"
    zones = [z for z, _ in zoned(text)]
    assert zones[:2] == ["title", "body"] and set(zones[2:]) == {"boilerplate"}


def test_a_contact_block_ends_at_a_long_paragraph():
    text = ("MEDIA CONTACT:\n\nLena Brook\n\n503-555-0142\n\nThe clinic treated 400 travellers last year, "
            "and most of them said that they slept better within two nights of arriving home again.\n")
    assert [z for z, _ in zoned(text)] == ["boilerplate", "boilerplate", "boilerplate", "body"]


# --- names ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("sentence,names", [
    ("The walk was organised by Susan G. Komen for the Cure last spring.", ["Susan G. Komen for the Cure"]),
    ("Dr. Cho works in the Division of Cardiovascular Medicine at Cascade University.",
     ["Division of Cardiovascular Medicine", "Cascade University"]),
    ("Funding came from the National Institute of Mental Health and the Cure Alzheimer's Fund.",
     ["National Institute of Mental Health and the Cure Alzheimer's Fund"]),
    ("The Effects of Aspirin in Gestation and Reproduction (EAGeR) trial enrolled women. EAGeR ended in 2012.",
     ["Effects of Aspirin in Gestation and Reproduction (EAGeR)", "EAGeR"]),
    ("Researchers in Harbor Children's Hospital tested the lamp.", ["Harbor Children's Hospital"]),
    ("Data came from the Cascade Valley Heart Study, which began in 1980.", ["Cascade Valley Heart Study"]),
    ("The National Heart, Lung, and Blood Institute paid for it.", ["National Heart, Lung, and Blood Institute"]),
    ("Lena Brook, MD, Harbor Medical School, led the work.", ["Harbor Medical School"]),
])
def test_names(sentence, names):
    doc = parse("case.md", sentence + "\n")
    assert [doc.prose[s:e] for s, e in name_spans(doc)] == names


@pytest.mark.parametrize("text", [
    "Studies show that the lamp helps.",
    "Institute staff said the lamp helps.",
    "# New Study Shows Amber Light Cures Jet Lag\n",
    "# The Administration of Melatonin\n",
    "A Large Clinical Trial found no benefit.",
    "Jane Smith and Tom Reyes wrote the guide.",
    "The lamp (AL) is cheap.",
])
def test_not_names(text):
    assert name_spans(parse("case.md", text + "\n")) == []


def test_in_name():
    doc = parse("case.md", "The Cure Alzheimer's Fund says there is no cure yet.\n")
    first = doc.prose.index("Cure")
    second = doc.prose.index("cure")
    assert in_name(doc, first, first + 4) and not in_name(doc, second, second + 4)


# --- plain text ----------------------------------------------------------------------------------

PLAIN = """\
The Quiet Comeback of Amber Night Lights
Travellers have long used sleeping pills to reset their body clocks. A cheaper option is emerging.

By Dr Maya Okafor

Why Light Matters
Light in the evening delays the body clock.
It does so within days.
Morning Light Helps Too
Short walks outside help.

References

1. Okafor M, Ruiz L. Amber light and jet lag. J Travel Med. 2022;29:101.

About Cascade University

Cascade University is a research university founded in 1911.

-30-

Issued by the press office.
"""


def test_plain_text_headings_and_zones():
    assert zoned(PLAIN, "notes.txt") == [
        ("title", "The Quiet Comeback of Amber Night Lights"),
        ("body", "Travellers have long used sleeping pills to reset their body clocks. A cheaper option is emerging."),
        ("byline", "By Dr Maya Okafor"),
        ("heading", "Why Light Matters"),
        ("body", "Light in the evening delays the body clock. It does so within days."),
        ("heading", "Morning Light Helps Too"),
        ("body", "Short walks outside help."),
        ("references", "References"),
        ("references", "1. Okafor M, Ruiz L. Amber light and jet lag. J Travel Med. 2022;29:101."),
        ("boilerplate", "About Cascade University"),
        ("boilerplate", "Cascade University is a research university founded in 1911."),
        ("boilerplate", "-30-"),
        ("boilerplate", "Issued by the press office."),
    ]


def test_plain_text_heading_blocks_keep_exact_positions():
    doc = parse("notes.txt", PLAIN)
    kinds = [(b.kind, b.heading_level) for b in doc.blocks]
    assert kinds[0] == ("heading", 0) and kinds[3] == ("heading", 0) and kinds[1] == ("paragraph", 0)
    for word, position in [("Quiet", (1, 5)), ("Travellers", (2, 1)), ("emerging", (2, 90)), ("Why", (6, 1)),
                           ("within", (8, 12)), ("Morning", (9, 1)), ("walks", (10, 7))]:
        assert doc.position(doc.prose_map[doc.prose.index(word)]) == position, word
    assert doc.text(doc.blocks[0]) == "The Quiet Comeback of Amber Night Lights"
    first_sentence = doc.sentences[1]
    assert doc.prose[first_sentence[0]:first_sentence[1]].startswith("Travellers")


@pytest.mark.parametrize("text,kinds", [
    ("A Short Title\n\nBody text here.\n", ["heading", "paragraph"]),
    ("Understanding depression and its impact\n\nBody text here.\n", ["heading", "paragraph"]),   # alone
    ("Understanding depression and its impact\nBody text goes on here.\n", ["paragraph"]),        # not title case
    ("The FDA approved the spray for\nadults in March.\n", ["paragraph"]),
    ("The Rise of Amber Lamps\nAmber lamps are everywhere.\n", ["heading", "paragraph"]),
    ("One sentence ends here.\nThe Rise of Amber Lamps\nAmber lamps are everywhere.\n",
     ["paragraph", "heading", "paragraph"]),
    ("What Is Jet Lag?\n\nIt is a mismatch.\n", ["paragraph", "paragraph"]),   # a question stays a paragraph
    ("1. Smith J. Light. 2019\n\n2. Lee K. Dark. 2020\n", ["paragraph", "paragraph"]),
    ("- Keep it dim\n- Keep it warm\n", ["paragraph"]),
    ("https://example.com/amber\n\nText.\n", ["paragraph"]),
    ("on\n\nText.\n", ["paragraph", "paragraph"]),
])
def test_plain_text_heading_lines(text, kinds):
    assert [b.kind for b in parse("notes.txt", text).blocks] == kinds


# --- size ----------------------------------------------------------------------------------------

def test_a_large_document_is_zoned_in_one_pass():
    unit = ('## Results from the Cascade Valley Study\n\nA trial run by the Division of Sleep Medicine at '
            'Cascade University found that 40% of travellers slept longer. "It worked well," said Dr. Lee. '
            'The work was funded by the Lantern Sleep Foundation (LSF).\n\n'
            '- A point about contact lenses\n- [2] Moss et al. Sleep and mood. J Sleep. 2019;12:34.\n\n')
    copies = 2_000_000 // len(unit)
    text = "# Sleep\n\nDENVER -- Light helps.\n\n" + unit * copies + "###\n\nThe end.\n"
    doc = parse("big.md", text)
    started = time.perf_counter()
    zones = zones_of(doc)
    names = name_spans(doc)
    elapsed = time.perf_counter() - started
    counts = {z: zones.block_zones.count(z) for z in set(zones.block_zones)}
    assert counts == {"title": 1, "body": copies + 1, "heading": copies, "list": copies,
                      "references": copies, "boilerplate": 1}
    assert len(zones.spans("quotation")) == copies and len(zones.spans("boilerplate")) == copies + 1
    assert dateline_span(doc) is not None
    assert len(names) == 4 * copies     # Division..., Cascade University, Lantern Sleep Foundation (LSF), LSF
    assert elapsed < 60   # about 2 s: a rescan per match would take hours
