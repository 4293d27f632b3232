"""Labelled PDFs for training and evaluating the router: where they come from, their labels, their features.

A labelled source is a manifest CSV (columns ``file`` and ``label``, paths relative to the CSV), or a folder
whose sub-folders name the label (``text/``, ``ocr/``, ``scanned/``, ``mixed/``, ``broken/``). ``broken`` PDFs
are not labels: they test robustness (they must become error rows) and are counted apart.
"""

from __future__ import annotations

import csv
import hashlib
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from shared.outcomes import StageError
from stages.classify import features as F

TEXT, OCR, BROKEN = "text", "ocr", "broken"
# folder or manifest label -> router label (what the PDF needs)
LABEL_ALIASES = {
    "text": TEXT,
    "docling": TEXT,
    "ocr": OCR,
    "scanned": OCR,
    "scan": OCR,
    "mixed": OCR,
    "broken": BROKEN,
}

# Corpus labels we disagree with, found while building the router (reported to the corpus' keeper).
LABEL_FIXES = {
    "text/pdfjs__TAMReview.pdf": (OCR, "text layer garbled: 69% of sampled characters are unmapped glyphs"),
    "text/pdfjs__issue5747.pdf": (OCR, "a scanned page (RICOH MP C3003) under an invisible OCR text layer"),
}


@dataclass
class LabelledPdf:
    path: Path
    label: str  # text | ocr | broken
    group: str  # PDFs of one group (a source and its derivatives, near-copies) stay on one side of a split
    origin: str  # "corpus" or "synthetic:<variant>"
    name: str  # a stable name for reports


def _norm_label(label: str) -> str | None:
    return LABEL_ALIASES.get(label.strip().lower())


def load_labelled(source: str | Path, apply_fixes: bool = True) -> list[LabelledPdf]:
    """Labelled PDFs from a manifest CSV or a folder of label sub-folders (unknown labels are skipped)."""
    source = Path(source)
    found: list[tuple[Path, str, str]] = []
    if source.is_file():
        root = source.parent
        with source.open(newline="") as f:
            for row in csv.DictReader(f):
                name = row["file"]
                label = _norm_label(row.get("label", ""))
                if apply_fixes and name in LABEL_FIXES:
                    label = LABEL_FIXES[name][0]
                if label:
                    found.append((root / name, label, name))
    elif source.is_dir():
        manifest = source / "manifest.csv"
        if manifest.is_file():
            return load_labelled(manifest, apply_fixes)
        for path in sorted(source.rglob("*.pdf")):
            rel = path.relative_to(source)
            label = next((_norm_label(p) for p in rel.parts[:-1] if _norm_label(p)), None)
            if label:
                found.append((path, label, str(rel)))
    else:
        raise FileNotFoundError(f"no labelled PDFs at {source}: give a manifest CSV or a folder")
    return [
        LabelledPdf(path, label, content_group(path, name), "corpus", name) for path, label, name in found
    ]


def content_group(path: Path, name: str) -> str:
    """Near-copies share a group: the first page's words when there are enough of them, else the file name."""
    try:
        import pymupdf

        with pymupdf.open(path) as doc:
            words = re.sub(r"\s+", " ", doc[0].get_text()).strip()[:400] if doc.page_count else ""
    except Exception:  # noqa: BLE001 - unreadable: its own group
        words = ""
    key = words if len(words) >= 100 else name
    return hashlib.sha256(key.encode()).hexdigest()[:16]


@dataclass
class FeatureRow:
    item: LabelledPdf
    vector: np.ndarray | None
    garbled_ratio: float
    error: str | None  # error class when the PDF could not be read


def _extract_one(args) -> tuple[np.ndarray | None, float, str | None]:
    path, sample_pages, seed = args
    try:
        data = Path(path).read_bytes()
        feats = F.extract_features(data, sample_pages=sample_pages, seed=seed, time_budget_s=120.0)
    except StageError as error:
        return None, 0.0, error.error_class
    except OSError as error:
        return None, 0.0, type(error).__name__
    return feats.vector, feats.garbled_ratio, None


def extract_all(
    items: list[LabelledPdf],
    sample_pages: int = F.DEFAULT_SAMPLE_PAGES,
    seed: int = F.DEFAULT_SEED,
    workers: int = 1,
) -> list[FeatureRow]:
    """Features of every labelled PDF (a generous time budget: labels must not depend on machine load)."""
    args = [(str(i.path), sample_pages, seed) for i in items]
    if workers > 1 and len(items) > 8:
        with ProcessPoolExecutor(workers) as pool:
            results = list(pool.map(_extract_one, args, chunksize=4))
    else:
        results = [_extract_one(a) for a in args]
    return [
        FeatureRow(item, vec, garbled, err) for item, (vec, garbled, err) in zip(items, results, strict=True)
    ]
