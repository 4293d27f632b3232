"""Right-to-left born-digital pages: does each extractor give their text in reading order?

    python -m tools.eval_quality.rtl [--systems ours,pymupdf4llm,docling-native,pymupdf-plain] [--per-pdf N]

The reference is what a reader sees: Tesseract's Arabic-script model reading a clean 300 dpi render of the
page, which knows nothing of the PDF's text layer or of the order it draws in. Each system's page text
(Markdown and HTML markup stripped) is scored with the OCR set's measure (tools/ocr_quality/text.py:
1 - CER after normalisation) against that read. OCR's own errors cap every system alike (a clean Arabic page
reads at about 0.9), and the reference keeps the running heads and page numbers a text path leaves out, so
no system reaches 1; what separates them is order: words or digits reversed, lam-alef ligatures written
alef + lam, closing punctuation first, columns the wrong way round.

Pages: the Arabic-script PDFs the OCR quality set draws from (texlive-lang-arabic's arabi sample book and the
Persian lshort, alpha-persian and persian-bib manuals, the Amiri font's Arabic documentation; fetched by
tools/ocr_quality's manifest), their first ``--per-pdf`` pages with at least 400 Arabic-script letters and no
raster image, each cut out as a one-page PDF as the text-quality suite judges pages.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess

PLAIN = "pymupdf-plain"  # PyMuPDF's get_text() as it is: the order the PDF draws in
DRAWN_ORDER = "ours-drawn-order"  # our text path with textkit/bidi.py switched off: as it was before it
DEFAULT_SYSTEMS = ("ours", DRAWN_ORDER, "pymupdf4llm", "docling-native", PLAIN)
MIN_LETTERS = 400
_COMMENTS = re.compile(r"<!--.*?-->", re.S)
_MARKUP = re.compile(r"<[^>]+>|\*\*|__|^#+ |^\|?(?:-{3,}\|?)+$|\|", re.M)


def plain_text(markdown: str) -> str:
    """Page text without Markdown / HTML markup (emphasis, headings, table pipes and rules, tags, comments)."""
    return _MARKUP.sub(" ", _COMMENTS.sub(" ", markdown))


def arabic_pdfs() -> list[dict]:
    from tools.ocr_quality.build import load_manifest

    seen, pdfs = set(), []
    for entry in load_manifest()["pages"]:
        key = (entry["package"], entry["path"])
        if entry["script"] == "Arabic" and key not in seen:
            seen.add(key)
            pdfs.append(entry)
    return pdfs


def judged_pages(per_pdf: int, log=print) -> list[tuple[str, bytes]]:
    """(page id, one-page PDF) for the first ``per_pdf`` Arabic-script text pages of each source PDF."""
    import pymupdf

    from tools.ocr_quality.fetch import cache_root, fetch_pdf
    from tools.ocr_quality.text import script_counts

    pages = []
    for entry in arabic_pdfs():
        source = fetch_pdf(entry["package"], entry["version"], entry["path"], entry["sha256"], cache_root())
        taken = 0
        with pymupdf.open(source) as doc:
            for index in range(doc.page_count):
                page = doc[index]
                if page.get_images() or script_counts(page.get_text()).get("Arabic", 0) < MIN_LETTERS:
                    continue
                one = pymupdf.open()
                one.insert_pdf(doc, from_page=index, to_page=index)
                name = entry["path"].rsplit("/", 1)[-1].removesuffix(".gz").removesuffix(".pdf")
                pages.append((f"{name}-p{index + 1}", one.tobytes()))
                taken += 1
                if taken == per_pdf:
                    break
        log(f"{entry['package']}:{entry['path']}: {taken} pages")
    return pages


def reference_read(pdf: bytes) -> str:
    """Tesseract (Arabic script pack, automatic layout) on a clean 300 dpi grey render of the page."""
    import pymupdf

    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        png = doc[0].get_pixmap(dpi=300, colorspace=pymupdf.csGRAY, alpha=False).tobytes("png")
    done = subprocess.run(["tesseract", "stdin", "stdout", "-l", "Arabic", "--psm", "3"], input=png,
                          capture_output=True, check=True, env={"OMP_THREAD_LIMIT": "1", "PATH": "/usr/bin:/bin"})
    return done.stdout.decode("utf-8", "replace")


def system_pages(name: str):
    if name == PLAIN:
        import pymupdf

        def pages(pdf_bytes: bytes) -> list[str]:
            with pymupdf.open(stream=pdf_bytes, filetype="pdf") as doc:
                return [page.get_text() for page in doc]

        return pages
    from tools.eval_quality.systems import SYSTEMS

    if name == DRAWN_ORDER:
        from textkit import bidi

        ours = SYSTEMS["ours"]()

        def pages(pdf_bytes: bytes) -> list[str]:
            has_rtl = bidi.has_rtl
            bidi.has_rtl = lambda text: False  # no line is read from its characters, no page is mirrored
            try:
                return ours(pdf_bytes)
            finally:
                bidi.has_rtl = has_rtl

        return pages
    return SYSTEMS[name]()


def evaluate(systems: list[str], per_pdf: int, log=print) -> dict:
    from tools.ocr_quality.fetch import cache_root
    from tools.ocr_quality.text import similarity

    pages = judged_pages(per_pdf, log)
    cache_file = cache_root() / "rtl_reads.json"  # clean reads take seconds a page: kept between runs
    cache = json.loads(cache_file.read_text()) if cache_file.is_file() else {}
    references = {}
    for page_id, pdf in pages:
        if page_id not in cache:
            cache[page_id] = reference_read(pdf)
            cache_file.write_text(json.dumps(cache, ensure_ascii=False))
        references[page_id] = cache[page_id]
    scores: dict[str, dict[str, float]] = {}
    for name in systems:
        extract = system_pages(name)
        scores[name] = {}
        for page_id, pdf in pages:
            text = plain_text("\n".join(extract(pdf)))
            scores[name][page_id] = round(similarity(references[page_id], text, "Arabic"), 4)
        log(f"{name}: {statistics.mean(scores[name].values()):.3f} over {len(pages)} pages")
    return {"pages": [p for p, _ in pages], "scores": scores,
            "mean": {name: round(statistics.mean(s.values()), 4) for name, s in scores.items()}}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--systems", default=",".join(DEFAULT_SYSTEMS))
    parser.add_argument("--per-pdf", type=int, default=6)
    parser.add_argument("--json", default="")
    args = parser.parse_args(argv)
    result = evaluate(args.systems.split(","), args.per_pdf)
    print("\n| system | mean similarity to a clean OCR read |\n|---|---:|")
    for name, mean in result["mean"].items():
        print(f"| {name} | {mean:.3f} |")
    if args.json:
        with open(args.json, "w") as out:
            json.dump(result, out, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
