"""The quality suite's scorer, labels and manifest: a broken scorer or a stale checks.jsonl fails here.

The end-to-end test runs on a bundled sample (no download); the one on the suite's own pages runs when the
fetch cache already holds them (``just eval-quality`` fills it) and skips with a message otherwise.
"""

import json
from pathlib import Path

import pytest

from tools.eval_quality.fetch import MANIFEST, page_pdfs, read_manifest
from tools.eval_quality.labels import CHECKS, LABELS, _parse_check, parse_labels
from tools.eval_quality.score import load_checks, run_checks, summarize

REPO = Path(__file__).resolve().parents[2]
REPORT = REPO / "samples" / "pdfs" / "text" / "report_en.pdf"
# Debian's own documentation and the publishers' samples are the independent check: never in this suite
FORBIDDEN = ("texlive-publishers-doc", "debian-faq", "maint-guide", "debian-reference", "developers-reference",
             "debian-handbook", "debian-policy")

SAMPLE_LABELS = """
- Page 2 of 5
- Harbour Valley Water Cooperative — Annual Operations Report 2023
+ These older mains account for most of the bursts recorded each winter, when the ground freezes and moves.
< 2. Distribution Network and Leakage >> The distribution network consists of 612 kilometres of mains
B
"""


def sample_checks(tmp_path: Path) -> list:
    lines = [line for line in SAMPLE_LABELS.strip().splitlines()]
    rows = [{"pdf": "report.pdf", "page": 1, "id": f"report_{i}", **_parse_check(line, i)}
            for i, line in enumerate(lines)]
    path = tmp_path / "checks.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows))
    return load_checks(path)


def second_page(pages: list[str]) -> str:
    return pages[1]


def test_scorer_passes_our_text_and_fails_raw_text_on_a_bundled_report(tmp_path):
    from tools.eval_quality.systems import pipeline_pages

    checks = sample_checks(tmp_path)
    ours = pipeline_pages()(REPORT.read_bytes())
    import pymupdf

    with pymupdf.open(REPORT) as doc:
        raw = doc[1].get_text()  # the text layer as it is: running header and "Page 2 of 5" still there
    passed_ours = [r["passed"] for r in run_checks(checks, {"report.pdf": second_page(ours)})]
    passed_raw = [r["passed"] for r in run_checks(checks, {"report.pdf": raw})]
    assert passed_ours == [True, True, True, True, True]
    assert passed_raw == [False, False, True, True, True]
    summary = summarize(run_checks(checks, {}))  # no output: every check fails, none is skipped
    assert (summary["checks"], summary["passed"]) == (5, 0)


def test_checks_jsonl_is_generated_from_labels_txt():
    sources, checks = parse_labels(LABELS.read_text())
    committed = [json.loads(line) for line in CHECKS.read_text().splitlines() if line.strip()]
    assert committed == checks
    assert [s.page_id for s in read_manifest()] == [s.page_id for s in sources]


def test_manifest_pins_every_pdf_and_keeps_the_independent_check_out():
    sources = read_manifest(MANIFEST)
    assert len(sources) >= 80
    for s in sources:
        assert len(s.sha256) == 64, s.page_id
        assert s.source in ("debian", "corpus"), s.page_id
        if s.source == "debian":
            assert s.package and s.version and s.path.startswith("usr/"), s.page_id
        assert not any(s.package.startswith(name) for name in FORBIDDEN), s.page_id
    checks = load_checks(CHECKS)
    assert len(checks) >= 300
    assert {c.type for c in checks} == {"present", "absent", "order", "table", "baseline"}


def test_suite_pages_score_end_to_end_when_cached(capsys):
    """Two real pages of the suite through our pipeline and olmOCR's checks (only when already fetched)."""
    wanted = ["deb-tugboat-cals-p05", "corpus-bitcoin-p01"]
    sources = [s for s in read_manifest() if s.page_id in wanted]
    cached = page_pdfs(sources, log=lambda _message: None, fetch=False)
    if len(cached) < len(wanted):
        pytest.skip("the suite's PDFs are not in the cache (run `just eval-quality` once to fetch them)")
    from tools.eval_quality.systems import pipeline_pages

    ours = pipeline_pages()
    texts = {f"{pid}.pdf": "\n\n".join(ours(path.read_bytes())) for pid, path in cached.items()}
    checks = [c for c in load_checks(CHECKS) if c.pdf in texts]
    results = run_checks(checks, texts)
    failed = [r["id"] for r in results if not r["passed"]]
    assert len(results) == 11 and failed == []
