"""Build the set from the manifest: fetch the packages, take each page's true text, render its scan.

Writes, under the cache (``fetch.cache_root()``): ``set/<manifest sha>/<id>.pdf`` (an image-only PDF of the
scan, one page) and ``set/<manifest sha>/truth.json`` (id -> true text and the manifest entry). A built set is
reused while the manifest is unchanged.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from tools.ocr_quality.degrade import ScanParams, jpeg_bytes, scan_image, scan_pdf
from tools.ocr_quality.fetch import cache_root, fetch_pdf
from tools.ocr_quality.text import page_truth

MANIFEST = Path(__file__).with_name("manifest.json")
# Raised when page_truth changes: the scans are kept, the true texts are taken again (2: right-to-left lines
# in logical order; 3: with the word gaps they draw no space for; 4: ligatures read again through a clip)
TRUTH_VERSION = 4


@dataclass(frozen=True)
class ScanPage:
    entry: dict
    truth: str
    pdf: Path

    @property
    def id(self) -> str:
        return self.entry["id"]


def load_manifest(path: Path = MANIFEST) -> dict:
    return json.loads(path.read_text())


def manifest_key(path: Path = MANIFEST) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def _truths(truth_file: Path) -> dict | None:
    """The stored true texts, when they were taken by this version of page_truth."""
    if not truth_file.is_file():
        return None
    stored = json.loads(truth_file.read_text())
    return stored["pages"] if stored.get("truth_version") == TRUTH_VERSION else None


def set_is_built(manifest: Path = MANIFEST, root: Path | None = None) -> bool:
    """Are this manifest's scans and true texts already under the cache (nothing to fetch)?"""
    out = (root or cache_root()) / "set" / manifest_key(manifest)
    return _truths(out / "truth.json") is not None and all(
        (out / f"{e['id']}.pdf").is_file() for e in load_manifest(manifest)["pages"])


def build_set(manifest: Path = MANIFEST, root: Path | None = None, log=print) -> list[ScanPage]:
    import pymupdf

    root = root or cache_root()
    out = root / "set" / manifest_key(manifest)
    truth_file = out / "truth.json"
    entries = load_manifest(manifest)["pages"]
    stored = _truths(truth_file)
    if stored is not None and all((out / f"{e['id']}.pdf").is_file() for e in entries):
        return [ScanPage(e, stored[e["id"]]["truth"], out / f"{e['id']}.pdf") for e in entries]
    out.mkdir(parents=True, exist_ok=True)
    truths, pages = {}, []
    for entry in entries:
        source = fetch_pdf(entry["package"], entry["version"], entry["path"], entry["sha256"], root)
        pdf = out / f"{entry['id']}.pdf"
        with pymupdf.open(source) as doc:
            page = doc[entry["page"]]
            truth = page_truth(page)
            if not pdf.is_file():  # the scan depends on the manifest only: kept when only the truth changed
                params = ScanParams(**entry["scan"])
                image = scan_image(page, params)
                pdf.write_bytes(scan_pdf([(jpeg_bytes(image, params.jpeg_quality), image.width, image.height,
                                           params.dpi)]))
                log(f"built {entry['id']} ({entry['package']}:{entry['path']} p{entry['page']})")
        truths[entry["id"]] = {"truth": truth, "entry": entry}
        pages.append(ScanPage(entry, truth, pdf))
    truth_file.write_text(json.dumps({"truth_version": TRUTH_VERSION, "pages": truths}, ensure_ascii=False, indent=1))
    return pages
