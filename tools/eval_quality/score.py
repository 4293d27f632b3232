"""Scoring with olmOCR-bench's own check classes (olmocr.bench.tests, imported from olmocr's wheel).

olmocr's test module imports its KaTeX renderer (a headless browser) at import time; the suite has no math
checks, so that module is replaced by a stub that refuses to render, before olmocr.bench.tests is imported.
"""

from __future__ import annotations

import json
import sys
import types
from collections import Counter, defaultdict
from pathlib import Path

MATH = "math"


def _stub_katex() -> None:
    name = "olmocr.bench.katex.render"
    if name in sys.modules:
        return
    stub = types.ModuleType(name)

    def render_equation(*_args, **_kwargs):
        raise RuntimeError("math checks are not part of this suite (KaTeX needs a browser)")

    stub.render_equation = render_equation
    stub.compare_rendered_equations = render_equation
    sys.modules[name] = stub


def load_checks(path: Path) -> list:
    """The checks of a JSONL file as olmOCR-bench test objects (math checks refused)."""
    return checks_from([json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()])


def checks_from(records: list[dict]) -> list:
    """Checks in olmOCR-bench's JSONL fields as its test objects (math checks refused)."""
    _stub_katex()
    from olmocr.bench.tests import load_single_test

    for data in records:
        if data.get("type") == MATH:
            raise ValueError(f"{data['id']}: math checks need KaTeX; this suite has none")
    return [load_single_test(dict(data)) for data in records]


def check_kind(check_id: str, check_type: str) -> str:
    """What a check was made as, for the report: the ``kind`` of an id ending ``#kind#n`` (a suite that builds
    its checks by rules, one kind per rule), else its olmOCR type."""
    parts = check_id.rsplit("#", 2)
    return parts[1] if len(parts) == 3 else check_type


def run_checks(checks: list, texts: dict[str, str]) -> list[dict]:
    """One result per check: texts maps a check's pdf name to the system's text of that page (absent: fail)."""
    results = []
    for check in checks:
        text = texts.get(check.pdf)
        if text is None:
            passed, why = False, "no output for this page"
        else:
            try:
                passed, why = check.run(text)
            except Exception as error:  # noqa: BLE001 - a check that cannot run on this text is failed
                passed, why = False, f"check raised {type(error).__name__}: {error}"
        results.append({"id": check.id, "pdf": check.pdf, "type": check.type, "passed": bool(passed),
                        "why": why})
    return results


def run_doc_checks(records: list[dict], pages: list[str] | None) -> list[dict]:
    """Checks (JSONL fields) on one document's pages, as ``run_checks``: a check's ``page`` 0 is run on the whole
    document (its pages joined by a blank line), ``n`` on the n-th page alone (one the system did not write, or
    no output at all: failed). Each text is set between newlines, so that a check of a first or last token
    (``first_n``/``last_n`` of a token in spaces) sees the token whole."""
    results = []
    for data, check in zip(records, checks_from(records), strict=True):
        page = data["page"]
        if pages is None or page > len(pages):
            text = None
        else:
            text = "\n" + ("\n\n".join(pages) if page == 0 else pages[page - 1]) + "\n"
        results += run_checks([check], {} if text is None else {check.pdf: text})
    return results


def summarize(results: list[dict]) -> dict:
    """Pass rate per check type, overall (all checks pooled) and the mean over types."""
    total, passed = Counter(), Counter()
    for r in results:
        total[r["type"]] += 1
        passed[r["type"]] += r["passed"]
    by_type = {t: passed[t] / total[t] for t in sorted(total)}
    return {
        "checks": sum(total.values()),
        "passed": sum(passed.values()),
        "overall": sum(passed.values()) / max(sum(total.values()), 1),
        "mean_over_types": sum(by_type.values()) / max(len(by_type), 1),
        "by_type": by_type,
        "count_by_type": dict(sorted(total.items())),
    }


def summarize_by(results: list[dict], key_of: dict[str, str]) -> dict[str, float]:
    """Overall pass rate per group of pages (key_of: pdf name -> group, e.g. its source)."""
    total, passed = defaultdict(int), defaultdict(int)
    for r in results:
        group = key_of.get(r["pdf"], "?")
        total[group] += 1
        passed[group] += r["passed"]
    return {g: passed[g] / total[g] for g in sorted(total)}
