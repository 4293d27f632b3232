"""The right-to-left comparison's pieces that need no downloads: markup stripped alike for every system, the
ablation switches textkit/bidi.py off and back on."""

from textkit import bidi
from tools.eval_quality import rtl


def test_markup_is_stripped_and_text_kept():
    markdown = "# عنوان\n| a | b |\n|---|---|\n| c | **d** |\n<!-- picture\ntext --> e<br>f"
    assert rtl.plain_text(markdown).split() == ["عنوان", "a", "b", "c", "d", "e", "f"]


def test_the_drawn_order_ablation_restores_bidi(monkeypatch):
    from stages.extract_docling.test_pymupdf_text import make_arabic_pdf

    seen = []
    monkeypatch.setattr("tools.eval_quality.systems.SYSTEMS", {"ours": lambda: lambda pdf: [str(bidi.has_rtl("لا"))]})
    pages = rtl.system_pages(rtl.DRAWN_ORDER)
    seen.append(pages(make_arabic_pdf())[0])
    assert seen == ["False"] and bidi.has_rtl("لا")
