"""Fixtures of the router tools' tests."""

import pytest

from tools.hostile.pdfs import encrypted_pdf, truncated_pdf  # noqa: F401
from tools.pdf_fixtures import make_pdf  # noqa: F401


@pytest.fixture
def labelled_folder(tmp_path):
    """A tiny labelled folder: text/ (born-digital), ocr/ (scans), broken/ (unreadable)."""
    root = tmp_path / "labelled"
    for label, kinds in {
        "text": [["text"], ["text", "text"], ["text", "text", "text"], ["text", "blank"]],
        "ocr": [["scan"], ["scan", "scan"], ["scan+ocr"], ["text", "scan"]],
    }.items():
        (root / label).mkdir(parents=True)
        for i, k in enumerate(kinds):
            (root / label / f"{label}{i}.pdf").write_bytes(make_pdf(k, title=f"Record {label} {i}"))
    (root / "broken").mkdir()
    (root / "broken" / "encrypted.pdf").write_bytes(encrypted_pdf())
    (root / "broken" / "truncated.pdf").write_bytes(truncated_pdf())
    return root
