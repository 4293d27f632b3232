"""The benchmark corpus: the bundled samples plus N generated PDFs, the same bytes on every machine.

Generated PDFs recombine the samples' own prose (samples/sample_texts.py, five languages) sentence by sentence
with a seeded RNG, so the text is real-looking, passes the quality filters, and is known exactly (truth.json)
for the extractors' text similarity. The mix follows what a crawl gives a pipeline to do:

    text      born-digital, 1-6 pages (most of the corpus)      -> classify -> extract-docling
    scanned   image-only pages (rendered, noised, JPEG)          -> classify -> ocr
    mixed     a text page and a scanned page                     -> ocr (pages needing OCR)
    near_dup  an earlier text PDF with a few words changed       -> dedup (MinHash cluster)
    exact_dup a byte copy of an earlier PDF                      -> ingest (exact duplicate drop)
    broken    an earlier PDF cut short                           -> error rows

A part (``a``, ``b``, ...) is N documents from its own seed; the 1x corpus is samples + a, the 2x corpus is
samples + a + b (folders of symlinks that ingest follows), so "twice the corpus" is twice the same kind of work.
Parts are cached under bench-out/corpus and regenerated only when the parameters or the generator change.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import random
import re
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLES = REPO / "samples"
GENERATOR_VERSION = "2"

KIND_WEIGHTS = {"text": 0.80, "scanned": 0.05, "mixed": 0.03, "near_dup": 0.06, "exact_dup": 0.03, "broken": 0.03}
LANGUAGE_WEIGHTS = {"en": 0.6, "fr": 0.1, "de": 0.1, "es": 0.1, "ru": 0.1}
SENTENCE_RE = re.compile(r"(?<=[.!?])\s+(?=[A-ZА-ЯÀ-ÖØ-Þ¿¡])")


def _samples_module(name: str):
    return importlib.import_module(f"samples.{name}")


def sentence_pools() -> dict[str, list[str]]:
    """Language -> the distinct sentences of the samples' prose in that language (headings left out)."""
    texts = _samples_module("sample_texts")
    sources = {
        "en": ["SINGLE_PAGE_EN", "REPORT_EN", "TWO_COLUMN_LEFT", "TWO_COLUMN_RIGHT", "NEAR_DUP_EN",
               "SCAN_LETTER_EN", "SCAN_MINUTES_EN", "MIXED_EN", "ENCRYPTED_EN"],
        "fr": ["FRENCH_FR"], "de": ["GERMAN_DE"], "es": ["SPANISH_ES"], "ru": ["RUSSIAN_RU"],
    }
    pools: dict[str, list[str]] = {}
    for lang, names in sources.items():
        seen: dict[str, None] = {}
        for name in names:
            for paragraph in _paragraphs(getattr(texts, name)):
                if len(paragraph) < 80:  # a heading
                    continue
                for sentence in SENTENCE_RE.split(paragraph):
                    if len(sentence) > 30:
                        seen.setdefault(sentence.strip(), None)
        pools[lang] = list(seen)
    return pools


def _paragraphs(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    return [p for item in value for p in _paragraphs(item)]


@dataclass
class Planned:
    name: str
    kind: str
    language: str | None
    pages: list[list[str]]  # page -> paragraphs
    source: str | None = None  # the earlier document a duplicate / broken file derives from
    ocr_pages: tuple[int, ...] = ()


def plan_part(part: str, n: int, seed: int) -> list[Planned]:
    """What each of the part's n documents holds; pure function of (part, n, seed)."""
    rng = random.Random(f"{seed}:{part}")
    pools = sentence_pools()
    vocab = {lang: sorted({w for s in sentences for w in s.split() if w.isalpha() and w.islower()}) for lang, sentences in pools.items()}
    kinds, kind_w = zip(*KIND_WEIGHTS.items(), strict=True)
    langs, lang_w = zip(*LANGUAGE_WEIGHTS.items(), strict=True)
    planned: list[Planned] = []
    for i in range(n):
        name = f"{part}/{i:05d}.pdf"
        earlier = [p for p in planned if p.kind == "text"]
        kind = rng.choices(kinds, kind_w)[0]
        if kind in ("near_dup", "exact_dup", "broken") and not earlier:
            kind = "text"
        if kind in ("near_dup", "exact_dup", "broken"):
            src = rng.choice(earlier)
            pages = _edit(src.pages, rng) if kind == "near_dup" else src.pages
            planned.append(Planned(name, kind, src.language, pages, source=src.name))
            continue
        lang = "en" if kind in ("scanned", "mixed") else rng.choices(langs, lang_w)[0]
        num_pages = 2 if kind == "mixed" else rng.choice([1, 1, 2]) if kind == "scanned" else rng.randint(1, 6)
        pages = [
            [" ".join(_vary(rng.choice(pools[lang]), vocab[lang], rng) for _ in range(rng.randint(2, 4)))
             for _ in range(rng.randint(2, 3))]
            for _ in range(num_pages)
        ]
        ocr_pages = tuple(range(num_pages)) if kind == "scanned" else (1,) if kind == "mixed" else ()
        planned.append(Planned(name, kind, lang, pages, ocr_pages=ocr_pages))
    return planned


def _vary(sentence: str, vocab: list[str], rng: random.Random, rate: float = 0.25) -> str:
    """A quarter of the words swapped for other words of the language: the sentence still reads as that
    language, but documents that drew the same sentence no longer share its 5-grams (no false duplicates)."""
    words = sentence.split()
    for j in range(1, len(words) - 1):  # keep the capitalised first word and the final punctuation
        if words[j].isalpha() and rng.random() < rate:
            words[j] = rng.choice(vocab)
    return " ".join(words)


def _edit(pages: list[list[str]], rng: random.Random) -> list[list[str]]:
    """A near duplicate: a few words of the source replaced, at least one (MinHash similarity stays far above
    0.8, and the text is never an exact copy)."""
    out = [list(paragraphs) for paragraphs in pages]
    spots = [(i, j) for i, paragraphs in enumerate(out) for j in range(len(paragraphs))]
    for k, (i, j) in enumerate(spots):
        words = out[i][j].split(" ")
        if len(words) > 4 and (k == 0 or rng.random() < 0.3):
            w = rng.randrange(1, len(words) - 1)
            words[w] = rng.choice([x for x in ("indeed", "often", "also", "rarely", "still") if x != words[w]])
            out[i][j] = " ".join(words)
    return out


def _write(doc: Planned, root: Path, seed: int, made: dict[str, bytes]) -> bytes:
    import pymupdf

    ms = _samples_module("make_samples")
    if doc.kind == "exact_dup":
        return made[doc.source]
    if doc.kind == "broken":
        data = made[doc.source]
        return data[: int(len(data) * 0.4)]
    style = [ms.SERIF, ms.SANS][int(hashlib.sha256(doc.name.encode()).hexdigest(), 16) % 2]
    pdf = pymupdf.open()
    for i, paragraphs in enumerate(doc.pages):
        if i in doc.ocr_pages:
            page_seed = int(hashlib.sha256(f"{seed}:{doc.name}:{i}".encode()).hexdigest()[:8], 16)
            ms.image_page(pdf, ms.scan_image(paragraphs, seed=page_seed, angle=((page_seed % 13) - 6) / 10))
        else:
            try:
                ms.text_page(pdf, paragraphs, style, title=False)
            except ValueError:  # a paragraph did not fit: the planner's pages are small, but stay safe
                doc.pages[i] = paragraphs[:1]
                pdf.delete_page(-1) if pdf.page_count > i else None
                ms.text_page(pdf, doc.pages[i], style, title=False)
    path = root / "_tmp.pdf"
    ms.save_pdf(pdf, path, f"bench {doc.name}")
    data = path.read_bytes()
    path.unlink()
    return data


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_part(root: Path, part: str, n: int, seed: int) -> dict:
    """Write root/<part>/NNNNN.pdf and root/<part>.truth.json unless a matching cached part exists."""
    manifest_path = root / f"{part}.truth.json"
    params = {"part": part, "n": n, "seed": seed, "generator": GENERATOR_VERSION}
    if manifest_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if manifest["params"] == params and all((root / name).is_file() for name in manifest["files"]):
            return manifest
    (root / part).mkdir(parents=True, exist_ok=True)
    for stale in (root / part).glob("*.pdf"):
        stale.unlink()
    made: dict[str, bytes] = {}
    files = {}
    for doc in plan_part(part, n, seed):
        data = _write(doc, root, seed, made)
        made[doc.name] = data
        (root / doc.name).write_bytes(data)
        files[doc.name] = {
            "kind": doc.kind,
            "language": doc.language,
            "pages": ["\n\n".join(p) for p in doc.pages] if doc.kind != "broken" else [],
            "ocr_pages": list(doc.ocr_pages),
            "source": doc.source,
            "sha256": _sha(data),
        }
    manifest = {"params": params, "files": files}
    manifest_path.write_text(json.dumps(manifest, indent=1, ensure_ascii=False))
    return manifest


def make_corpus(root: Path, n: int, seed: int = 1234, parts: int = 2) -> dict[str, Path]:
    """Parts a, b, ... of n PDFs each; returns {'x1': folder, 'x2': folder, ...} ready for `finepdfs ingest`."""
    root = root.resolve()
    root.mkdir(parents=True, exist_ok=True)
    names = [chr(ord("a") + i) for i in range(parts)]
    for part in names:
        make_part(root, part, n, seed)
    folders = {}
    for k in range(1, parts + 1):
        folder = root / f"x{k}"
        if folder.exists():
            for link in folder.iterdir():
                link.unlink()
        folder.mkdir(exist_ok=True)
        os.symlink(SAMPLES / "pdfs", folder / "samples")
        for part in names[:k]:
            os.symlink(root / part, folder / part)
        folders[f"x{k}"] = folder
    return folders


def truth(root: Path) -> dict[str, dict]:
    """Every generated file's truth, keyed by its path under the corpus root."""
    out = {}
    for manifest in sorted(root.glob("*.truth.json")):
        out.update(json.loads(manifest.read_text())["files"])
    return out


def page_counts(root: Path) -> dict[str, int]:
    return {name: len(entry["pages"]) for name, entry in truth(root).items()}
