"""Character accuracy of an OCR engine on the bundled scanned samples, against their known text.

    python -m tools.ocr.evaluate [--engine rapidocr|tesseract|rolmocr ...] [--samples samples] [--json]

Runs the ocr stage itself (the same steps, workers and page sizing as a real run) over every sample PDF whose
ground truth has pages to OCR, then compares page by page. Character accuracy = 1 - CER, with CER the
Levenshtein distance over the reference length, summed over pages; both texts have their whitespace runs
collapsed to one space first (line breaks and paragraph spacing are layout, not characters). The reference of
a page is what is printed on it: header lines, text, footer lines.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
import time
from pathlib import Path

_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    return _SPACES.sub(" ", text).strip()


def char_errors(reference: str, hypothesis: str) -> int:
    from rapidfuzz.distance import Levenshtein

    return Levenshtein.distance(normalize(reference), normalize(hypothesis))


def page_reference(page: dict) -> str:
    return "\n".join([*page.get("header", []), page["text"], *page.get("footer", [])])


def ocr_samples(samples: Path, kinds: tuple[str, ...] = ("scanned", "mixed")) -> list[tuple[str, dict]]:
    truth = json.loads((samples / "ground_truth.json").read_text())
    return [(name, entry) for name, entry in sorted(truth["files"].items())
            if entry["kind"] in kinds and entry["ocr_pages"]]


def evaluate(samples: Path, stage_args: list[str], mixed: bool = False) -> dict:
    """Run ``finepdfs ocr`` (in-process) over the sample scans and score each page."""
    from shared.shards import read_dataset
    from stages.cli import invoke
    from textkit.pages import split_pages
    from tools.ocr.fixtures import routed_row, write_routed_shard

    files = ocr_samples(samples)
    rows = [routed_row((samples / "pdfs" / name).read_bytes(), name,
                       pages_needing_ocr=entry["ocr_pages"] if mixed else None) for name, entry in files]
    with tempfile.TemporaryDirectory(prefix="finepdfs-ocr-eval-") as tmp:
        write_routed_shard(rows, f"{tmp}/in")
        start = time.monotonic()
        code = invoke("ocr", *["--input", f"{tmp}/in", "--output", f"{tmp}/out", *stage_args])
        if code:
            raise RuntimeError(f"the ocr stage failed (exit {code})")
        seconds = time.monotonic() - start
        out = {row["file_path"]: row for row in read_dataset(f"{tmp}/out").to_pylist()}
        errors = {row["id"] for row in read_dataset(f"{tmp}/out/errors").to_pylist()}

    report, total_chars, total_errors, total_pages = [], 0, 0, 0
    for name, entry in files:
        row = out.get(name)
        pages = split_pages(row["text"], row["page_ends"]) if row else []
        for index, page in enumerate(entry["pages"]):
            reference = normalize(page_reference(page))
            hypothesis = pages[index] if index < len(pages) else ""
            errors_here = char_errors(reference, hypothesis)
            total_chars += len(reference)
            total_errors += errors_here
            total_pages += 1
            report.append({"file": name, "page": index, "chars": len(reference), "errors": errors_here,
                           "accuracy": round(1 - errors_here / max(1, len(reference)), 4),
                           "extractor": row["extractor"] if row else None,
                           "failed": bool(row is None or index in (row["failed_pages"] or []))})
    return {
        "pages": report,
        "documents_failed": len(errors),
        "total_pages": total_pages,
        "character_accuracy": round(1 - total_errors / max(1, total_chars), 4),
        "stage_seconds": round(seconds, 2),
        "pages_per_second": round(total_pages / seconds, 3) if seconds else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", default="samples", type=Path, help="folder with pdfs/ and ground_truth.json")
    parser.add_argument("--mixed", action="store_true",
                        help="OCR only the ground truth's ocr_pages (text layer for the others), as classify does")
    parser.add_argument("--min-accuracy", type=float, default=None, help="exit 1 below this character accuracy")
    parser.add_argument("--json", action="store_true", help="print the full report as JSON")
    args, stage_args = parser.parse_known_args(argv)  # the rest goes to `finepdfs ocr` (--engine, ...)
    result = evaluate(args.samples, stage_args, mixed=args.mixed)
    if args.json:
        print(json.dumps(result, indent=1))
    else:
        for page in result["pages"]:
            flag = " FAILED" if page["failed"] else ""
            print(f"{page['file']:<40} p{page['page']}  {page['accuracy']:.4f}  ({page['errors']} errors / "
                  f"{page['chars']} chars, {page['extractor']}){flag}")
        print(f"character accuracy {result['character_accuracy']:.4f} over {result['total_pages']} pages; "
              f"{result['pages_per_second']} pages/s (stage wall time {result['stage_seconds']} s, "
              f"worker start-up included)")
    if args.min_accuracy is not None and result["character_accuracy"] < args.min_accuracy:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
