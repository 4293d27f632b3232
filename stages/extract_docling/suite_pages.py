"""The pages of the external evaluation suites that the table tests are built from (tools/eval_quality prepares
them into its cache, ``FINEPDFS_EVAL_CACHE`` or ~/.cache/finepdfs-eval): a test skips where its page is absent."""

from __future__ import annotations

import pytest

from stages.extract_docling.pymupdf_text import extract_pdf


def suite_page_text(suite: str, name: str) -> str:
    """The text path's text (tables on) of a one-page PDF ``pages/NAME.pdf`` of a prepared suite."""
    from tools.eval_quality.fetch import cache_dir

    path = cache_dir() / "external" / suite / "pages" / f"{name}.pdf"
    if not path.exists():
        pytest.skip(f"{path} is absent (prepare the {suite} suite: python -m tools.eval_quality.suites prepare)")
    [page] = extract_pdf(path.read_bytes(), tables=True)
    return page.text


def table_rows(text: str) -> list[list[str]]:
    """The cells of every Markdown table row in a text (delimiter rows left out)."""
    return [[c.strip() for c in line.strip("|").split("|")] for line in text.splitlines()
            if line.startswith("|") and not line.startswith("|---")]
