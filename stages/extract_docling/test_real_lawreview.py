"""Words broken at a line end on whole law-review articles: development articles of the ``lawreview`` suite
(read from the eval cache; skipped with a message where the cache lacks them). The checks are the journals' own
web pages of the articles, which write a compound with its hyphen and a syllable break closed up."""

from functools import cache
from pathlib import Path

import pytest

from stages.extract_docling.pymupdf_text import extract_pdf

CACHE = Path.home() / ".cache" / "finepdfs-eval" / "external" / "lawreview" / "raw_pdf"


@cache
def article_text(name: str) -> str:
    """Our text of a whole development article (the document's vocabulary is the evidence; never a held-out
    one), pages joined."""
    import pymupdf

    from tools.eval_quality.suites import DEV, split_of

    assert split_of("lawreview", name) == DEV, name
    pdf = CACHE / f"{name}.pdf"
    if not pdf.is_file():
        pytest.skip(f"{pdf} is absent (python -m tools.eval_quality.suites prepare lawreview brings it)")
    pymupdf._get_layout = None
    return "\n".join(page.text for page in extract_pdf(pdf.read_bytes(), tables=True))


def test_a_compound_broken_at_a_line_end_keeps_its_hyphen():
    """law_of_protest page 4, footnote 23: "student-" / "led" (both words the article uses on their own,
    "studentled" nowhere) was written "studentled"; the Harvard article's footnote 42 "case-" / "specific"."""
    text = article_text("law_of_protest")
    assert "latest student-led action" in text
    assert "studentled" not in text
    text = article_text("harvard_law_review_Background_Principles_And_The_General_Law_Of_Property")
    assert "without case-specific inquiry" in text


def test_a_closed_compound_broken_at_a_line_end_is_rejoined():
    """michigan_law_review_spending_clause_standing: "some-" / "one" and "any-" / "way" are halves the
    article uses on their own, but it writes "some" and "any" closed up with its other words ("something")."""
    text = article_text("michigan_law_review_spending_clause_standing")
    assert "someone else can just try again" in text
    assert "litigation anyway." in text


def test_a_number_range_broken_at_a_line_end_has_no_space():
    """The Trump disqualification article, footnote 111: "Pub. L. No. 117-" / "328" was written "117- 328"."""
    text = article_text("the_trump_disqualification_case__the_halleys_comet_of_constitutional_law__the_supreme_"
                        "court_review__vol_2024")
    assert "Pub. L. No. 117-328, § 108" in text
