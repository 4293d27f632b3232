"""How the pages of the set were chosen (rerun to rebuild the manifest; the manifest is what is committed).

    python -m tools.ocr_quality.select_pages [--out tools/ocr_quality/manifest.json] [--seed 14]

For each (package, script, layout) quota below: the package's PDFs in a seeded random order, at most one page
per PDF, the first pages that pass every check:
- no raster images on the page (their text would be missing from the text layer), at least
  ``min_letters`` letters, and the quota's script holds at least 75% of them;
- the layout from the text layer's line boxes: two columns when many lines sit wholly in each half of the
  page and almost none spans the middle;
- the text layer reads right (Arabic: Tesseract's Arabic pack alone, which reads it better than with Latin,
  and a floor of 0.8, see MIN_CLEAN_SIMILARITY_BY_SCRIPT): at most 1% U+FFFD (glyphs the PDF cannot map to characters, e.g. a heading in
  a decorative font; left out of the true text, so reading them costs OCR that much), for Arabic no lam-alef
  ligature mapped in visual order (REVERSED_LAM_ALEF), a clean 300 dpi render of the page, read by Tesseract (the script's pack, plus
  Latin for the others: TeX manuals in every language are full of Latin commands and names) and,
  for Han and Japanese, RapidOCR, reaches ``min_clean_similarity`` with the better of the two, and no letter
  that the OCR reads at least 5 times is (nearly) absent from the text layer (a font whose glyphs map to the
  wrong or no characters, e.g. a Cyrillic "б" lost in every word; letters compared without diacritics and
  with Cyrillic/Greek homoglyphs folded onto Latin, which are OCR confusions, not text layer faults). This keeps pages that some engine can read
  when they are clean: the set measures what scanning noise costs, not unreadable typography.
The language of a page is fastText lid.176's (the filter stage's model) on its true text. Each quota shuffles
with its own seeded generator, and each chosen page draws its scan parameters from one seeded by its place
(degrade.ScanParams.draw), so changing one quota leaves the other pages as they were; a few pages are fed
rotated (ROTATED). The pages were then looked at, rendered, before the manifest was committed.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from pathlib import Path

from tools.ocr_quality.degrade import ScanParams
from tools.ocr_quality.fetch import cache_root, ensure_package, sha256_file, unpacked_pdf
from tools.ocr_quality.text import dominant_script, page_truth, script_counts, similarity

VERSION = {"texlive-latex-extra-doc": "2022.20230122-4", "texlive-science-doc": "2022.20230122-4",
           "fonts-hosny-amiri": "0.113-1"}
LANG_VERSION = "2022.20230122-1"

# (package, script, columns, pages, pages per PDF at most, language): scripts with few documents take two pages
# of one; a language ("!en": any but English) keeps a quota to pages the language ID says are in it
QUOTAS = [
    ("texlive-latex-extra-doc", "Latin", 1, 4, 1, None),
    ("texlive-science-doc", "Latin", 1, 3, 1, None),
    ("texlive-lang-german", "Latin", 1, 3, 1, "de"),
    ("texlive-lang-french", "Latin", 1, 3, 1, "fr"),
    ("texlive-lang-european", "Latin", 1, 6, 1, "!en"),
    ("texlive-latex-extra-doc", "Latin", 2, 8, 1, None),
    ("texlive-lang-cyrillic", "Cyrillic", 1, 8, 1, None),
    ("texlive-lang-cyrillic", "Cyrillic", 2, 1, 1, None),
    ("texlive-lang-greek", "Greek", 1, 6, 2, None),
    ("texlive-lang-chinese", "Han", 1, 6, 1, None),
    ("texlive-lang-chinese", "Han", 2, 2, 1, None),
    ("texlive-lang-japanese", "Japanese", 1, 6, 1, None),
    ("texlive-lang-arabic", "Arabic", 1, 6, 2, None),
    ("fonts-hosny-amiri", "Arabic", 1, 6, 6, None),  # the Amiri font's own Arabic documentation (upstream's, not Debian's)
    ("texlive-lang-other", "Devanagari", 1, 2, 2, None),
    ("texlive-lang-other", "Hebrew", 1, 2, 2, None),
    ("texlive-lang-korean", "Hangul", 1, 3, 2, None),
]
MAX_PAGES_PER_PDF = 12
MIN_LETTERS = {"Han": 350, "Japanese": 350}
MIN_LETTERS_DEFAULT = 800
MIN_CLEAN_SIMILARITY = 0.9
# Tesseract, the only engine here that reads Arabic, reads clean Naskh pages (Amiri) at 0.8-0.92: its floor
MIN_CLEAN_SIMILARITY_BY_SCRIPT = {"Arabic": 0.8}
# Alef then hamza-alef then lam ("اإل" for "الإ"): a lam-alef ligature whose two letters the PDF maps in visual
# order. Correct Arabic never has it; texlive-lang-arabic's arabi manuals have it in every other line.
REVERSED_LAM_ALEF = re.compile("ا[إأآ]ل")
ROTATED = {3: 180, 17: 90, 29: 270, 41: 180}  # index in the set -> rotation of the scan
TESSERACT_SCRIPT = {"Latin": "Latin", "Cyrillic": "Cyrillic", "Greek": "Greek", "Han": "HanS", "Japanese": "Japanese",
                    "Arabic": "Arabic", "Hebrew": "Hebrew", "Devanagari": "Devanagari", "Hangul": "Hangul"}


def version_of(package: str) -> str:
    return VERSION.get(package, LANG_VERSION)


def layout_columns(page) -> int:
    width = page.rect.width
    left = right = spanning = 0
    for block in page.get_text("dict", flags=0)["blocks"]:
        for line in block.get("lines", []):
            x0, _, x1, _ = line["bbox"]
            if x1 - x0 < width * 0.2:
                continue
            if x1 < width * 0.52:
                left += 1
            elif x0 > width * 0.48:
                right += 1
            elif x0 < width * 0.4 and x1 > width * 0.6:
                spanning += 1
    return 2 if left >= 10 and right >= 10 and spanning <= 2 else 1


def clean_read(page, script: str) -> tuple[float, str, str]:
    """(best similarity, engine, its text) of OCR on a clean 300 dpi render against the text layer."""
    import pymupdf

    truth = page_truth(page)
    pix = page.get_pixmap(dpi=300, colorspace=pymupdf.csGRAY, alpha=False)
    png = pix.tobytes("png")
    results = []
    model = TESSERACT_SCRIPT[script] if script in ("Latin", "Arabic") else f"{TESSERACT_SCRIPT[script]}+Latin"
    done = subprocess.run(["tesseract", "stdin", "stdout", "-l", model, "--psm", "3"],
                          input=png, capture_output=True, check=False, env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"})
    text = done.stdout.decode("utf-8", "replace")
    results.append((similarity(truth, text, script), "tesseract", text))
    if script in ("Han", "Japanese"):
        text = _rapidocr_text(png)
        results.append((similarity(truth, text, script), "rapidocr", text))
    return max(results, key=lambda r: r[0])


_RAPID = None


def _rapidocr_text(png: bytes) -> str:
    global _RAPID
    import io

    import numpy as np
    from PIL import Image

    from stages.ocr.cpu_engine import Line, ordered_text

    if _RAPID is None:
        from rapidocr import RapidOCR

        _RAPID = RapidOCR(params={"Global.log_level": "error", "Global.use_cls": False})
    image = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))[:, :, ::-1]
    result = _RAPID(image)
    if result.boxes is None:
        return ""
    lines = [Line(min(p[0] for p in q), min(p[1] for p in q), max(p[0] for p in q), max(p[1] for p in q), t)
             for q, t in zip(result.boxes, result.txts, strict=True)]
    return ordered_text(lines, "columns", False, image.shape[1], image.shape[0])[0]


# Cyrillic and Greek letters an OCR model of another script reads for the Latin one (and back): confusions of
# the engine, not letters missing from the text layer
_HOMOGLYPHS = dict(zip("АВЕКМНОРСТХУаеорсуххіјѕЅІЈΑΒΕΖΗΙΚΜΝΟΡΤΥΧοιν", "ABEKMHOPCTXYaeopcyxxijsSIJABEZHIKMNOPTYXoiv", strict=True))


def letter_skeleton(char: str) -> str:
    """A letter without its diacritics, homoglyphs folded onto Latin: OCR may read an accent from noise."""
    base = unicodedata.normalize("NFD", char)[0]
    return _HOMOGLYPHS.get(base, base)


def missing_letters(truth: str, ocr: str) -> list[str]:
    """Letters (up to diacritics and homoglyphs, after NFKC) the OCR reads at least 5 times that the text layer
    holds at most a fifth as often: the text layer lacks or misnames a glyph."""
    def count(text: str) -> Counter:
        return Counter(letter_skeleton(c) for c in unicodedata.normalize("NFKC", text) if c.isalpha())

    in_truth, in_ocr = count(truth), count(ocr)
    return sorted(c for c, n in in_ocr.items() if n >= 5 and in_truth.get(c, 0) * 5 <= n)


def candidates(root: Path, script: str, columns: int, rng: random.Random):
    import pymupdf

    pymupdf.TOOLS.mupdf_display_errors(False)
    packed = sorted(root.rglob("*.pdf.gz"))
    pdfs = sorted([*(p for p in root.rglob("*.pdf") if p.with_name(p.name + ".gz") not in packed), *packed])
    rng.shuffle(pdfs)
    for pdf in pdfs:
        try:
            doc = pymupdf.open(unpacked_pdf(pdf))
        except Exception:  # noqa: BLE001 - a PDF MuPDF cannot open is not a candidate
            continue
        if doc.needs_pass:
            continue
        order = list(range(min(doc.page_count, MAX_PAGES_PER_PDF)))
        rng.shuffle(order)
        for index in order:
            page = doc[index]
            try:
                if page.get_images():
                    continue
                truth = page_truth(page)
            except Exception:  # noqa: BLE001 - MuPDF cannot read this page's text: not a candidate
                continue
            counts = script_counts(truth)
            letters = sum(counts.values())
            if letters < MIN_LETTERS.get(script, MIN_LETTERS_DEFAULT) or dominant_script(truth) != script:
                continue
            share = (counts.get("Han", 0) + counts.get("Japanese", 0)) if script in ("Han", "Japanese") \
                else counts.get(script, 0)
            if share < 0.75 * letters or layout_columns(page) != columns:
                continue
            yield pdf, doc, index, truth


def select(seed: int) -> list[dict]:
    from datatrove.data import Document

    from shared.langid import bundled_model_path, make_lid

    lid = make_lid(bundled_model_path())  # lid.176's own labels (en, de, ar): the manifest's language codes
    chosen: list[dict] = []
    cache_file = cache_root() / "clean_reads.json"  # clean reads are slow: kept between runs of this script
    cache = json.loads(cache_file.read_text()) if cache_file.is_file() else {}
    for package, script, columns, quota, per_pdf, wanted in QUOTAS:
        version = version_of(package)
        root = ensure_package(package, version)
        rng = random.Random(f"{seed}:{package}:{script}:{columns}")  # a quota's choice does not move the others'
        taken = 0
        for pdf, doc, index, truth in candidates(root, script, columns, rng):
            rel = str(pdf.relative_to(root))
            same = [c for c in chosen if c["package"] == package and c["path"] == rel]
            if len([c for c in same if c["script"] == script and c["columns"] == columns]) >= per_pdf \
                    or any(c["page"] == index for c in same):
                continue
            _, scores = lid.predict(Document(text=truth, id=""))
            language = max(scores, key=scores.get)
            if wanted and (language == wanted[1:] if wanted.startswith("!") else language != wanted):
                continue
            key = f"{package}={version}:{rel}:{index}" + (":Arabic" if script == "Arabic" else "")
            if key not in cache:
                cache[key] = clean_read(doc[index], script)
                cache_file.write_text(json.dumps(cache, ensure_ascii=False))
            _, engine, text = cache[key]
            score = similarity(truth, text, script)  # against the true text as defined now
            missing = missing_letters(truth, text)
            print(f"  {script} {columns}col {rel} p{index}: clean {engine} {score:.3f} missing {missing}", flush=True)
            unmapped = doc[index].get_text().count("\ufffd")
            floor = MIN_CLEAN_SIMILARITY_BY_SCRIPT.get(script, MIN_CLEAN_SIMILARITY)
            if score < floor or missing or unmapped > 0.01 * len(truth):
                continue
            if script == "Arabic" and REVERSED_LAM_ALEF.search(truth):
                print("    rejected: lam-alef ligatures in visual order", flush=True)
                continue
            position = len(chosen)
            params = ScanParams.draw(random.Random(f"{seed}:{package}:{rel}:{index}"),
                                     rotate=ROTATED.get(position, 0))
            chosen.append({
                "id": f"{script.lower()}-{columns}col-{position:03d}",
                "package": package, "version": version, "path": rel, "sha256": sha256_file(unpacked_pdf(pdf)),
                "page": index, "script": script, "language": language, "columns": columns,
                "letters": sum(script_counts(truth).values()), "clean_similarity": round(score, 4),
                "scan": params.as_dict(),
            })
            taken += 1
            if taken == quota:
                break
        print(f"{package} {script} {columns}col: {taken}/{quota}", flush=True)
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("manifest.json"))
    parser.add_argument("--seed", type=int, default=14)
    args = parser.parse_args(argv)
    if shutil.which("tesseract") is None:
        raise SystemExit("tesseract is needed to check text layers: apt-get install tesseract-ocr "
                         "tesseract-ocr-script-latn tesseract-ocr-script-cyrl ... (see tools/ocr_quality/README.md)")
    pages = select(args.seed)
    args.out.write_text(json.dumps({"seed": args.seed, "pages": pages}, indent=1, ensure_ascii=False) + "\n")
    print(f"{len(pages)} pages -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
