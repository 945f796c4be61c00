"""The rules read an article as an editor does: boilerplate, legal text, reference lists,
datelines, names and other people's words are not the article's own claims (issue 14)."""
import pytest

RELEASE = """\
# New blood test finds kidney injury early

DENVER, Colo. (Feb. 3, 2025) - A urine test found kidney injury two days sooner in a trial of 400 adults.

The test is a miracle cure for late diagnosis, the hospital's own summary says it is not.

"It is a miracle cure for doctors who wait too long," said Dr. Lena Ruiz, who led the work.

The study was funded by the Friends of the Cure Foundation.

###

About Harbor Medical Center

Harbor Medical Center is devoted to finding cures for kidney disease and is proven to lead the region.

This press release contains forward-looking statements. No forward-looking statement can be guaranteed.
"""


@pytest.fixture
def findings(lint):
    def run(text, select=("HL101", "HL103", "HL110", "HL201", "HL203", "HL204", "HL303")):
        return [(v.line, v.column, v.code) for v in lint(text, select=list(select), path="release.md")]
    return run


def test_only_the_article_s_own_claim_is_flagged(findings):
    found = findings(RELEASE)
    assert (5, 15, "HL101") in found                    # the article's own "miracle cure"
    assert [f for f in found if f[0] >= 7] == []         # quote, funder's name, boilerplate, legal text


def test_the_dateline_is_a_date_and_the_issuer_an_author(findings):
    assert [f for f in findings(RELEASE) if f[2] in ("HL203", "HL204")] == []


def test_the_same_words_in_the_article_s_own_voice_are_flagged(findings):
    text = "# Kidneys\n\nHarbor Medical Center is devoted to finding cures and is proven to lead the region.\n"
    assert [f[2] for f in findings(text, select=("HL101",))] == ["HL101", "HL101"]


def test_a_reference_list_without_a_heading_is_not_checked_for_claims(findings):
    text = ("# Naps\n\nNaps helped most adults in our review [1].\n\n"
            "[1] Okafor T, Lin B. Studies show naps cure fatigue in 90% of adults. Sleep Rev. 2021.\n")
    assert [f for f in findings(text, select=("HL101", "HL110", "HL111")) if f[0] == 5] == []
