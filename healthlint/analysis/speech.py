"""Quotations and attributed speech, the `quotation` span zone of healthlint/analysis/zones.py:
quoted text, a paragraph that opens a quotation it does not close, and sentences of attributed
speech (`"...," said Dr. Ruiz`, `Ruiz said: "..."`, `..., Ruiz said.`, `According to Smith, ...`).
The speech cues are in rules/lexicons/zones.yml."""
from __future__ import annotations

import bisect
import re
from functools import lru_cache

from healthlint.analysis import text as textlib
from healthlint.analysis.zone_cues import grouped_alternation, grouped_phrase_alternation, phrase_alternation, word_set
from healthlint.resources import load_lexicon

SPEECH_ZONES = frozenset({"body", "list", "caption"})   # block zones whose sentences may be attributed speech
MAX_SENTENCE = 3000         # longer "sentences" (a run of text without full stops) are not read as speech
OPEN_QUOTES = "“\"«„"


def _forms(spk: str, verb: str, role: str, forms) -> re.Pattern:
    """The forms of attributed speech as one regex: SPK, VERB and ROLE filled in, each form's
    speaker group numbered (spk0, spk1, ...): a match's only non-empty group is its speaker."""
    filled = []
    for i, form in enumerate(forms):
        form = form.replace("SPK", spk).replace("VERB", verb).replace("ROLE", role)
        filled.append("(?:" + form.replace("(?P<spk>", f"(?P<spk{i}>") + ")")
    return re.compile("|".join(filled))


@lru_cache(maxsize=1)
def _speech_cues() -> dict:
    lex = load_lexicon("zones")
    speech = [v for v in lex["speech-verbs"] if v != "according to"]
    # (the verbs and titles grouped by their first letter: the same matches, found sooner)
    verb = rf"(?:{grouped_phrase_alternation(speech)})"
    titles = grouped_alternation([re.escape(t) for t in sorted(lex["speaker-titles"], key=len, reverse=True)])
    capw = r"(?:[A-Z][\w'’-]*|[A-Z]\.)"
    name = rf"(?:(?:{titles})\.?\s+)?{capw}(?:\s+{capw}){{0,3}}"
    pronoun = "|".join(lex["speaker-pronouns"])
    spk = rf"(?P<spk>{name}|(?:{pronoun}))"
    role = r"(?:[a-z][\w'’-]*,?\s+){0,4}"   # "said study leader Jane Ruiz"
    roles = rf"(?:(?:{phrase_alternation(lex['speaker-roles'])}),?\s+)?"   # "according to lead author Jane Ruiz"
    q_close, q_open = "[\"”’']", "[\"“‘']"
    return {
        "verb": re.compile(rf"\b(?:{verb}|[Aa]ccording\s+to)\b"),
        # attributed speech, in three groups: next to a quotation mark, at the end after a comma,
        # at the start of the sentence (each group is tried only on sentences that can hold it)
        "quoted": _forms(spk, verb, role, (
            rf"{q_close}\s*,?\s*VERB\s+ROLESPK\b",                   # "...," said Dr. Ruiz
            rf"{q_close}\s*,?\s*SPK\s+VERB\b",                        # "...," Ruiz said
            rf"SPK\s+VERB\s*[,:]?\s*{q_open}",                          # Ruiz said: "..."
            rf"VERB\s+ROLESPK\s*[,:]?\s*{q_open}",                      # said Dr. Ruiz, "..."
        )),
        "end": _forms(spk, verb, role, (
            r",\s*SPK\s+VERB(?:\s*,[^\"“”]*)?[.!?]?[\"”’)]*\s*$",      # ..., Ruiz said.
            r",\s*VERB\s+ROLESPK(?:\s*,[^\"“”]*)?[.!?]?[\"”’)]*\s*$",  # ..., said lead author Jane Ruiz.
            rf",\s*according\s+to\s+(?:the\s+)?{roles}SPK\b[^.!?]*[.!?]?[\"”’)]*\s*$",  # ..., according to Smith.
        )),
        "start": _forms(spk, verb, role, (
            rf"[\"“‘]?[Aa]ccording\s+to\s+(?:the\s+)?{roles}SPK\b[^,\"“”]{{0,150}},",  # According to Smith, ...
            rf"(?P<spk>(?:{titles})\.?\s+{capw}(?:\s+{capw}){{0,2}}|{capw}\s+{capw}(?:\s+{capw})?|He|She)"
            rf"\s+VERB\b",                                                   # Dr. Ruiz said the ...
        )),
        "not_speakers": word_set(lex["not-speakers"]),
    }


def quotation_spans(doc, block_zones: list[str], sentences: list[tuple[int, int]], sentence_starts: list[int],
                    quotable: frozenset) -> list[tuple[int, int, int]]:
    """(block index, start, end) of the quotations in the blocks whose zone is in `quotable`
    (block_zones is parallel to doc.blocks); attributed speech only in SPEECH_ZONES."""
    prose, blocks = doc.prose, doc.blocks
    block_starts = [b.start for b in blocks]
    found = []

    def block_index(offset):
        j = bisect.bisect_right(block_starts, offset) - 1
        return j if j >= 0 and offset < blocks[j].end else None

    quoted = doc.quoted_spans if hasattr(doc, "quoted_spans") else [
        q for b in blocks for q in textlib.quoted_spans(prose, b.start, b.end)]
    quote_starts = {s for s, _ in quoted}
    for s, e in quoted:
        j = block_index(s)
        if j is not None and block_zones[j] in quotable:
            found.append((j, s, e))
    for j, block in enumerate(blocks):   # a quotation that runs over paragraphs opens one and does not close it
        if prose[block.start] in OPEN_QUOTES and block.start not in quote_starts and block_zones[j] in quotable:
            found.append((j, block.start, block.end))
    done = -1
    for m in _speech_cues()["verb"].finditer(prose):
        k = bisect.bisect_right(sentence_starts, m.start()) - 1
        if k < 0 or k == done or m.start() >= sentences[k][1]:
            continue
        done = k
        s, e = sentences[k]
        j = block_index(s)
        if j is None or block_zones[j] not in SPEECH_ZONES or e - s > MAX_SENTENCE:
            continue
        if is_attributed(prose[s:e]):
            found.append((j, s, e))
    return found


def is_attributed(sentence: str) -> bool:
    """Whether a sentence is attributed speech: a speech verb with a speaker that is a person."""
    cues = _speech_cues()
    found = [cues["start"].match(sentence)]
    if "," in sentence:
        found.extend(cues["end"].finditer(sentence))
    if any(q in sentence for q in "\"“”‘’'"):
        found.extend(cues["quoted"].finditer(sentence))
    for m in found:
        if m is not None:
            speaker = next(g for g in m.groups() if g)   # the only groups are the speakers
            if speaker.split()[0].rstrip(".").lower() not in cues["not_speakers"]:
                return True
    return False
