"""The suite's labels: a small line format (labels.txt) -> olmOCR-bench checks (checks.jsonl) + manifest.csv.

labels.txt holds, per judged page, a header line and its checks, written by a person looking at the rendered
page (`python -m tools.eval_quality.labels show ...` renders it and lists its text lines):

    == PAGE_ID | SOURCE | PACKAGE | VERSION | PATH | PAGE | KIND | FEATURES
    + text that must be present            (+~N: allow N edits, olmOCR's max_diffs)
    - text that must be absent             (-$N / -^N: absent from the last / first N characters)
    < text before >> text after            (reading order)
    T cell | up=.. | down=.. | left=.. | right=.. | top=.. | lefth=..   (table cell relations)
    B                                       (baseline: not blank, no endless repetition)
    B0                                      (blank page stays blank)

`python -m tools.eval_quality.labels build` checks every label against the page's raw text (a typo check:
checked text must occur on the page) and rewrites checks.jsonl and
manifest.csv (sha256 computed from the fetched PDFs).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from pathlib import Path

from tools.eval_quality.fetch import (
    MANIFEST,
    PageSource,
    page_pdfs,
    read_manifest,
    sha256_of,
    source_pdfs,
    write_manifest,
)

LABELS = Path(__file__).with_name("labels.txt")
CHECKS = Path(__file__).with_name("checks.jsonl")
TABLE_KEYS = {"up": "up", "down": "down", "left": "left", "right": "right", "top": "top_heading",
              "lefth": "left_heading"}


def parse_labels(text: str) -> tuple[list[PageSource], list[dict]]:
    """(page sources without sha256, checks as olmOCR-bench dicts) from labels.txt's text."""
    sources: list[PageSource] = []
    checks: list[dict] = []
    current = None
    counter = 0
    for number, raw in enumerate(text.splitlines(), 1):
        line = raw.rstrip()
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("=="):
            fields = [f.strip() for f in line[2:].split("|")]
            fields += [""] * (8 - len(fields))
            page_id, source, package, version, path, page, kind, features = fields[:8]
            current = PageSource(page_id, source, package, version, path, "", int(page), kind, features)
            sources.append(current)
            counter = 0
            continue
        if current is None:
            raise ValueError(f"labels.txt:{number}: a check before the first '==' page line")
        counter += 1
        base = {"pdf": current.pdf_name, "page": 1, "id": f"{current.page_id}_{counter:02d}",
                "checked": "verified"}
        checks.append({**base, **_parse_check(line, number)})
    ids = [s.page_id for s in sources]
    if len(ids) != len(set(ids)):
        raise ValueError(f"duplicate page ids: {sorted({i for i in ids if ids.count(i) > 1})}")
    return sources, checks


def _parse_check(line: str, number: int) -> dict:
    head, _, rest = line.partition(" ")
    rest = rest.strip()
    match = re.fullmatch(r"([+\-<TB])(~\d+)?([$^]\d+)?(0)?", head)
    if not match:
        raise ValueError(f"labels.txt:{number}: unknown check {head!r}")
    kind, diffs, window, blank = match.groups()
    check: dict = {"max_diffs": int(diffs[1:])} if diffs else {}
    if kind in "+-":
        check.update(type="present" if kind == "+" else "absent", text=rest)
        if window:
            check["last_n" if window[0] == "$" else "first_n"] = int(window[1:])
    elif kind == "<":
        before, sep, after = rest.partition(" >> ")
        if not sep:
            raise ValueError(f"labels.txt:{number}: order check needs 'before >> after'")
        check.update(type="order", before=before.strip(), after=after.strip())
    elif kind == "T":
        parts = [p.strip() for p in rest.split(" | ")]
        check.update(type="table", cell=parts[0])
        for part in parts[1:]:
            key, _, value = part.partition("=")
            if key not in TABLE_KEYS:
                raise ValueError(f"labels.txt:{number}: unknown table relation {key!r}")
            check[TABLE_KEYS[key]] = value
    else:  # baseline
        check.update(type="baseline")
        if blank:
            check["max_length"] = 0
    return check


def _squash(text: str) -> str:
    """Lowercase letters and digits only, ligatures and accents decomposed: what a typo check compares (line
    breaks, hyphens, spaces, a PDF's spacing accents like "Universit¨at" ignored)."""
    decomposed = unicodedata.normalize("NFKD", text)
    return re.sub(r"[\W_]+", "", "".join(c for c in decomposed if not unicodedata.combining(c)).lower())


def validate(checks: list[dict], raw_texts: dict[str, str]) -> list[str]:
    """Problems with labels against each page's raw text (PyMuPDF's plain text, used only as a typo check)."""
    problems = []
    for check in checks:
        raw = raw_texts.get(check["pdf"])
        if raw is None:
            continue
        squashed = _squash(raw)
        if check["type"] == "present":
            needles = [check["text"]]
        elif check["type"] == "order":
            needles = [check["before"], check["after"]]
        elif check["type"] == "table":
            needles = [check["cell"]] + [check[k] for k in TABLE_KEYS.values() if check.get(k)]
        elif check["type"] == "absent":
            needles = [check["text"]]  # it is on the page (as furniture), so that its absence means something
        else:
            needles = []
        for needle in needles:
            if _squash(needle) not in squashed:
                problems.append(f"{check['id']}: not on the page: {needle!r}")
    return problems


def raw_page_text(pdf: Path) -> str:
    import pymupdf

    with pymupdf.open(pdf) as doc:
        return doc[0].get_text()


def build(labels: Path = LABELS, checks_out: Path = CHECKS, manifest_out: Path = MANIFEST) -> int:
    sources, checks = parse_labels(labels.read_text())
    full = source_pdfs(sources)
    sources = [
        PageSource(**{**s.__dict__, "sha256": sha256_of(full[s.page_id]) if s.page_id in full else s.sha256})
        for s in sources
    ]
    known = {s.page_id: s.sha256 for s in read_manifest(manifest_out)} if manifest_out.is_file() else {}
    sources = [s if s.sha256 else PageSource(**{**s.__dict__, "sha256": known.get(s.page_id, "")}) for s in sources]
    pages = page_pdfs(sources)
    problems = validate(checks, {f"{pid}.pdf": raw_page_text(path) for pid, path in pages.items()})
    for problem in problems:
        print(problem, file=sys.stderr)
    write_manifest(sources, manifest_out)
    with open(checks_out, "w") as f:
        for check in checks:
            f.write(json.dumps(check, ensure_ascii=False) + "\n")
    print(f"{len(sources)} pages, {len(checks)} checks -> {checks_out.name}, {manifest_out.name}; "
          f"{len(problems)} problems")
    return 1 if problems else 0


def show(pdf: Path, page: int, png: Path | None, dpi: int = 60) -> None:
    """Render a page (for a person to look at) and list its text lines with position, font size, direction."""
    import pymupdf

    with pymupdf.open(pdf) as doc:
        p = doc[page - 1]
        if png:
            p.get_pixmap(dpi=dpi).save(png)
        width, height = p.rect.width, p.rect.height
        print(f"{pdf} page {page}/{doc.page_count} size {width:.0f}x{height:.0f}")
        for block in p.get_text("dict")["blocks"]:
            for line in block.get("lines", []):
                text = "".join(s["text"] for s in line["spans"])
                if not text.strip():
                    continue
                x0, y0, x1, y1 = line["bbox"]
                size = max(s["size"] for s in line["spans"])
                rotated = "" if abs(line["dir"][0]) > 0.9 else " ROT"
                print(f"y{100 * y0 / height:5.1f} x{100 * x0 / width:4.0f}-{100 * x1 / width:<4.0f} "
                      f"s{size:4.1f}{rotated} {text}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.eval_quality.labels")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("build", help="labels.txt -> checks.jsonl + manifest.csv, with a typo check per label")
    show_cmd = sub.add_parser("show", help="render a page to PNG and list its text lines")
    show_cmd.add_argument("pdf", type=Path)
    show_cmd.add_argument("page", type=int)
    show_cmd.add_argument("--png", type=Path)
    show_cmd.add_argument("--dpi", type=int, default=60)
    args = parser.parse_args(argv)
    if args.command == "build":
        return build()
    show(args.pdf, args.page, args.png, args.dpi)
    return 0


if __name__ == "__main__":
    sys.exit(main())
