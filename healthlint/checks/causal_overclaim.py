"""causal-overclaim (HL103): causal or certain wording about research that cannot carry it."""
from __future__ import annotations

from functools import cached_property

from healthlint.analysis.text import is_negated
from healthlint.matching import Matcher
from healthlint.model import Finding
from healthlint.packs import TextRule


class CausalOverclaim(TextRule):
    @cached_property
    def cues(self) -> dict:
        data = self.data
        return {
            "verbs": {" ".join(k.split()): v for k, v in data["causal-verbs"].items()},
            "causal": Matcher(data["causal-verbs"]),
            "study": Matcher(data["study-words"]),
            "types": [(Matcher(t["cues"]), t["message"]) for t in data["study-types"].values()],
            "hedges": Matcher(data["hedges"]),
            "epistemic": Matcher(data["epistemic-verbs"]),
            "human": Matcher(data["human-targets"]),
            "caveats": Matcher(data["animal-caveats"]),
            "animal": Matcher(data["study-types"]["animal"]["cues"] + data["study-types"]["cell"]["cues"]),
            "rct": Matcher(data["randomized-trial"]),
            "not-rct": Matcher([c for kind in ("animal", "cell", "observational", "single")
                                for c in data["study-types"][kind]["cues"]]),
        }

    @cached_property
    def exceptions(self) -> Matcher:
        return Matcher(patterns=self.data["causal-exceptions"])

    def _study_type(self, doc, start: int, end: int) -> str:
        for matcher, message in self.cues["types"]:
            if matcher.search(doc.prose, start, end):
                return message
        return "a study can show what happened in the people it studied, not that one thing causes another"

    def _is_noun(self, prose: str, start: int, end: int, m) -> bool:
        nouns = self.exceptions.finditer(prose, start, end)
        return any(e.start() <= m.start() and m.end() <= e.end() for e in nouns)

    def _qualified(self, doc, start: int, m, options) -> bool:
        """Negated, quoted, hedged or an infinitive ("to prevent"): the sentence makes no causal claim."""
        prose, cues = doc.prose, self.cues
        before = prose[start:m.start()]
        return (self.silenced(doc, m.start(), m.end(), options) or bool(cues["hedges"].search(before))
                or before.rstrip().lower().endswith(" to")
                or any(is_negated(prose, start, e.start())
                       for e in cues["epistemic"].finditer(prose, start, m.start())))

    def check(self, doc, options):
        cues = self.cues
        prose = doc.prose
        randomized = cues["rct"].search(prose) is not None   # the article reports a randomised trial
        for start, end in doc.sentences:
            block = doc.block_at(start)
            if block is None or doc.citations.is_reference(block) or doc.is_question(start, end):
                continue
            if options["require-study"] and not cues["study"].search(prose, start, end):
                continue
            finding = None
            earned = randomized and not cues["not-rct"].search(prose, start, end)
            for m in () if earned else cues["causal"].finditer(prose, start, end):
                if self._is_noun(prose, start, end, m):
                    continue  # "deaths from any cause"
                if self._qualified(doc, start, m, options):
                    break  # "does not show that X prevents Y", "may prevent", "aimed to prevent"
                verb = " ".join(m.group(0).lower().split())
                suggestion = cues["verbs"].get(verb)
                why = self._study_type(doc, start, end)
                finding = Finding(m.start(), m.end(), f'"{m.group(0)}" claims cause and effect, but {why}; '
                                  f'use wording such as "{suggestion}" or "was associated with", and say '
                                  "what kind of study it was", suggestion)
                break
            if finding is None and options["check-animal-to-human"]:
                finding = self._animal_to_human(doc, start, end, options)
            if finding is not None:
                yield finding

    def _animal_to_human(self, doc, start: int, end: int, options: dict):
        """A study in mice or cells applied to people ("in mice ... so it can help your knees")."""
        cues = self.cues
        animal = cues["animal"].search(doc.prose, start, end)
        if animal is None or self.silenced(doc, animal.start(), animal.end(), options):
            return None
        for m in cues["human"].finditer(doc.prose, animal.end(), end):
            if (self.silenced(doc, m.start(), m.end(), options)
                    or cues["caveats"].search(doc.prose, start, m.start())):
                return None  # "has not yet been tested in people", "whether it works in people"
            return Finding(animal.start(), animal.end(),
                           f'a finding "{animal.group(0)}" is applied to people; say that it was an animal or lab '
                           "study and that it has not been shown in people")
        return None
