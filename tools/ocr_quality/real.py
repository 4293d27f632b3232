"""Real scans with human-made truth: page images and their transcriptions from public ground-truth repositories.

The set lives in a local folder (``$FINEPDFS_EVAL_CACHE/ocr_real`` or ``~/.cache/finepdfs-eval/ocr_real``, or
``--set DIR``): ``images/<id>.<ext>``, ``truth/<id>.txt`` and ``manifest.json`` (per page: source repository,
commit, path, licence, language, script, year, split). Nothing of it is committed: ``real_sources.json`` names
every page (repository, commit, image and transcription paths) and ``build`` takes them from git checkouts of
those repositories::

    git clone https://github.com/OWNER/NAME REPOS/OWNER+NAME   # for each repository in real_sources.json
    python -m tools.ocr_quality.real build --repos REPOS       # checks out each page at its commit

(``--repos`` also takes bare mirrors laid out as ``REPOS/OWNER+NAME/repo``.)

Truth: ALTO (``String/@CONTENT`` per ``TextLine``, blocks in file order) or PAGE (``TextLine/TextEquiv``). Both
keep what the page prints. Where a repository holds only line pairs (line image + ``.gt.txt``), a page is a run of
consecutive transcribed lines stacked into one image (``line-pairs``). Blocks the transcribers tagged as page numbers or running titles are kept in a second
truth (``body``) without them: the ocr stage leaves page furniture out on purpose, so it is scored against the
body, while a plain engine read is scored against the whole page.

Split: a page is ``heldout`` when the first 8 hex digits of sha256(id) are 0 mod 3 (deterministic, about a third);
tuning looks at ``tune`` pages only (``--split tune``), the held-out part is reported apart.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from tools.git_clones import clone_in, git

SOURCES = Path(__file__).with_name("real_sources.json")
# The project's independent check (COMMON.md): never a source of this set
FORBIDDEN_REPOS = ("PedroBarcha/old-books-dataset", "tesseract-ocr/test", "HTR-United/tapuscorpus",
                   "FloChiff/ehri-dataset", "OpenArabic/OCR_GS_Data", "scribeocr/ocr-benchmark", "allenai/olmocr",
                   "mozilla/pdf.js")
FORBIDDEN_OWNERS = ("FoNDUE-HTR",)
# ALTO / SegmOnto block labels and PAGE region types that mark page furniture
FURNITURE_LABELS = ("numbering", "numpage", "runningtitle", "header", "footer", "page-number", "quiremarks",
                    "signature", "catchword")


def set_root() -> Path:
    base = os.environ.get("FINEPDFS_EVAL_CACHE") or str(Path.home() / ".cache" / "finepdfs-eval")
    return Path(base) / "ocr_real"


def split_of(page_id: str) -> str:
    return "heldout" if int(hashlib.sha256(page_id.encode()).hexdigest()[:8], 16) % 3 == 0 else "tune"


@dataclass(frozen=True)
class RealPage:
    entry: dict
    truth: str  # everything the transcribers wrote
    body: str  # without the blocks they tagged as furniture
    image: Path

    @property
    def id(self) -> str:
        return self.entry["id"]


# --- truth from ALTO / PAGE --------------------------------------------------------------------------------
def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def alto_text(xml: bytes) -> tuple[str, str]:
    """(all text, body text) of an ALTO file: lines of String CONTENT, blocks in file order."""
    root = ET.fromstring(xml)
    labels = {el.get("ID"): (el.get("LABEL") or "").lower() for el in root.iter() if _local(el.tag) == "OtherTag"}
    full, body = [], []
    for block in (el for el in root.iter() if _local(el.tag) == "TextBlock"):
        tags = " ".join(labels.get(ref, "") for ref in (block.get("TAGREFS") or "").split())
        furniture = any(label in tags.replace(" ", "").replace("zone", "") for label in FURNITURE_LABELS)
        for line in (el for el in block.iter() if _local(el.tag) == "TextLine"):
            words = [el.get("CONTENT", "") for el in line.iter() if _local(el.tag) == "String"]
            text = " ".join(w for w in words if w).strip()
            if text:
                full.append(text)
                if not furniture:
                    body.append(text)
    return "\n".join(full), "\n".join(body)


def page_xml_text(xml: bytes) -> tuple[str, str]:
    """(all text, body text) of a PAGE file: TextLine/TextEquiv/Unicode, regions in file order."""
    root = ET.fromstring(xml)
    full, body = [], []
    for region in (el for el in root.iter() if _local(el.tag) == "TextRegion"):
        kind = (region.get("type") or "") + " " + (region.get("custom") or "")
        furniture = any(label in kind.lower() for label in FURNITURE_LABELS)
        for line in (el for el in region if _local(el.tag) == "TextLine"):
            equiv = [el for el in line if _local(el.tag) == "TextEquiv"]
            unicode_ = [el for el in (equiv[0] if equiv else []) if _local(el.tag) == "Unicode"]
            text = (unicode_[0].text or "").strip() if unicode_ else ""
            if text:
                full.append(text)
                if not furniture:
                    body.append(text)
    return "\n".join(full), "\n".join(body)


def _is_furniture(label: str) -> bool:
    flat = label.lower().replace("_", "").replace("-", "").replace(" ", "").replace("zone", "")
    return any(f.replace("-", "") in flat for f in FURNITURE_LABELS)


def layout_boxes(layout: bytes | None, image_name: str, wanted) -> list[tuple[float, float, float, float]]:
    """(x0, y0, x1, y1) of the rectangles of one page in a layout table (AjaxMultiCommentary's ``*_olr.tsv``:
    image name, ..., region shape JSON, label JSON) whose label ``wanted(label)`` accepts."""
    import csv
    import io

    boxes = []
    for row in csv.reader(io.StringIO((layout or b"").decode())):
        if len(row) >= 7 and row[0] == image_name:
            shape, label = json.loads(row[5] or "{}"), json.loads(row[6] or "{}").get("text", "")
            if wanted(label) and {"x", "y", "width", "height"} <= shape.keys():
                boxes.append((shape["x"], shape["y"], shape["x"] + shape["width"], shape["y"] + shape["height"]))
    return boxes


def _inside(boxes: list[tuple[float, float, float, float]], x: float, y: float) -> bool:
    return any(a <= x <= c and b <= y <= d for a, b, c, d in boxes)


def lines_tsv_text(tsv: bytes, image_name: str, layout: bytes | None = None,
                   region: str | None = None) -> tuple[str, str]:
    """(all text, body text) of one page from a line table (AjaxMultiCommentary's ``*_training.tsv``: image name,
    "x0 y0 x1 y1", line text; rows in file order), a line being furniture when its centre lies in a region of the
    layout table labelled page number or header. With ``region``, only the lines whose centre lies in a region of
    that label (the page cropped to it, ``crop_to_region``)."""
    furniture = layout_boxes(layout, image_name, _is_furniture)
    kept = layout_boxes(layout, image_name, lambda label: label == region) if region else None
    full, body = [], []
    for row in tsv.decode().splitlines():
        name, box, *text = row.split("\t")
        line = " ".join("\t".join(text).split())
        if name != image_name or not line:
            continue
        x0, y0, x1, y1 = (float(v) for v in box.split())
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        if kept is not None and not _inside(kept, cx, cy):
            continue
        full.append(line)
        if not _inside(furniture, cx, cy):
            body.append(line)
    return "\n".join(full), "\n".join(body)


def crop_to_region(image: bytes, layout: bytes, image_name: str, region: str, dpi: int) -> bytes:
    """The page image cut to the rectangle around its layout regions labelled ``region`` (a block of a real scan,
    its pixels untouched), as PNG at ``dpi``: where a page mixes scripts, its block in one script."""
    import io

    from PIL import Image

    boxes = layout_boxes(layout, image_name, lambda label: label == region)
    if not boxes:
        raise SystemExit(f"{image_name}: no region labelled {region!r} in the layout table")
    page = Image.open(io.BytesIO(image))
    box = (max(0, int(min(b[0] for b in boxes))), max(0, int(min(b[1] for b in boxes))),
           min(page.width, int(max(b[2] for b in boxes)) + 1), min(page.height, int(max(b[3] for b in boxes)) + 1))
    out = io.BytesIO()
    page.crop(box).save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue()


LINE_IMAGE_SUFFIXES = (".bin.png", ".nrm.png", ".png", ".tif", ".tiff", ".jpg")


def line_pairs(paths: list[str], spec: dict) -> list[tuple[int, str, str]]:
    """(sequence number, line image, line transcription) of the line pairs (``X.tif`` beside ``X.gt.txt``, as
    OCRopus / tesstrain / kraken keep them) under ``spec["dir"]`` whose name matches ``spec["pattern"]`` with a
    sequence number (its first group) from ``spec["from"]`` to ``spec["to"]``, in sequence order. A line image
    without a transcription is left out: the page is made of the transcribed lines only."""
    import re

    pattern = re.compile(spec["pattern"])
    under = [p for p in paths if p.startswith(spec["dir"].rstrip("/") + "/")]
    truths = {p[: -len(".gt.txt")] for p in under if p.endswith(".gt.txt")}
    pairs = []
    for path in under:
        suffix = next((s for s in LINE_IMAGE_SUFFIXES if path.endswith(s)), None)
        match = pattern.search(Path(path).name)
        if suffix and match and path[: -len(suffix)] in truths:
            number = int(match.group(1))
            if spec["from"] <= number <= spec["to"]:
                pairs.append((number, path, path[: -len(suffix)] + ".gt.txt"))
    return sorted(pairs)


def stitch_lines(images: list[bytes], dpi: int) -> bytes:
    """Line images stacked top to bottom, left-aligned on white paper, a quarter of the median line height
    apart and a line height of margin: a column as the page printed it, made of the transcribed lines only."""
    import io
    import statistics

    from PIL import Image

    lines = [Image.open(io.BytesIO(data)).convert("L") for data in images]
    height = int(statistics.median(line.height for line in lines))
    gap, margin = max(height // 4, 2), height
    page = Image.new("L", (max(line.width for line in lines) + 2 * margin,
                           sum(line.height for line in lines) + gap * (len(lines) - 1) + 2 * margin), 255)
    top = margin
    for line in lines:
        page.paste(line, (margin, top))
        top += line.height + gap
    out = io.BytesIO()
    page.save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue()


def truth_of(xml: bytes) -> tuple[str, str]:
    head = xml[:2000].lower()
    return alto_text(xml) if b"alto" in head else page_xml_text(xml)


# --- building the local folder ------------------------------------------------------------------------------
def _show(clone: Path, commit: str, path: str) -> bytes:
    return subprocess.run([*git(clone), "show", f"{commit}:{path}"], check=True,
                          capture_output=True).stdout


def _ls(clone: Path, commit: str, folder: str) -> list[str]:
    return subprocess.run([*git(clone), "ls-tree", "-r", "--name-only", commit, "--", folder],
                          check=True, capture_output=True, text=True).stdout.split()


def _line_page(clone: Path, commit: str, page: dict) -> tuple[bytes, str]:
    """(stitched image, truth) of a page made of line pairs; the number of lines is checked against the
    sources file so that a different listing at the same commit can't change the page unnoticed."""
    pairs = line_pairs(_ls(clone, commit, page["lines"]["dir"]), page["lines"])
    if len(pairs) != page["lines"]["count"]:
        raise SystemExit(f"{page['id']}: {len(pairs)} line pairs, real_sources.json says {page['lines']['count']}")
    image = stitch_lines([_show(clone, commit, image) for _, image, _ in pairs], page["dpi"])
    truth = "\n".join(" ".join(_show(clone, commit, truth).decode().split()) for _, _, truth in pairs)
    return image, truth


def load_sources(path: Path = SOURCES) -> dict:
    return json.loads(path.read_text())


def _write_page(out: Path, page: dict, image: bytes, suffix: str, full: str, body: str) -> None:
    (out / "images" / f"{page['id']}{suffix}").write_bytes(image)
    (out / "truth" / f"{page['id']}.txt").write_text(full)
    (out / "truth" / f"{page['id']}.body.txt").write_text(body)


def _entry(source: dict, page: dict, suffix: str) -> dict:
    return {**{k: v for k, v in source.items() if k != "pages"}, **page,
            "image_file": f"images/{page['id']}{suffix}", "split": split_of(page["id"])}


def build(repos: Path, out: Path | None = None, sources: Path = SOURCES, log=print) -> Path:
    """Take every page of ``sources`` from its repository at its commit into ``out``."""
    out = out or set_root()
    (out / "images").mkdir(parents=True, exist_ok=True)
    (out / "truth").mkdir(parents=True, exist_ok=True)
    entries = []
    for source in load_sources(sources)["sources"]:
        clone = clone_in(repos, source["repo"])
        for page in source["pages"]:
            if page.get("truth_format") == "line-pairs":
                image, full = _line_page(clone, source["commit"], page)
                body, suffix = full, ".png"
                _write_page(out, page, image, suffix, full, body)
                entries.append(_entry(source, page, suffix))
                continue
            image = _show(clone, source["commit"], page["image"])
            truth = _show(clone, source["commit"], page["truth"])
            suffix = Path(page["image"]).suffix.lower()
            if page.get("truth_format") == "lines-tsv":
                layout = _show(clone, source["commit"], page["layout"]) if page.get("layout") else None
                name = Path(page["image"]).name
                full, body = lines_tsv_text(truth, name, layout, page.get("region"))
                if page.get("region"):
                    image, suffix = crop_to_region(image, layout, name, page["region"], page["dpi"]), ".png"
            else:
                full, body = truth_of(truth)
            _write_page(out, page, image, suffix, full, body)
            entries.append(_entry(source, page, suffix))
        log(f"{source['repo']}@{source['commit'][:10]}: {len(source['pages'])} pages")
    (out / "manifest.json").write_text(json.dumps({"pages": entries}, ensure_ascii=False, indent=1))
    return out


def load_set(folder: Path | None = None) -> list[RealPage]:
    folder = folder or set_root()
    manifest = folder / "manifest.json"
    if not manifest.is_file():
        raise SystemExit(f"no real-scan set at {folder}: build it first (python -m tools.ocr_quality.real build "
                         "--repos DIR; see tools/ocr_quality/README.md)")
    pages = []
    for entry in json.loads(manifest.read_text())["pages"]:
        truth = (folder / "truth" / f"{entry['id']}.txt").read_text()
        body = (folder / "truth" / f"{entry['id']}.body.txt").read_text()
        pages.append(RealPage(entry, truth, body, folder / entry["image_file"]))
    return pages


def image_pdf(image_path: Path, dpi: int) -> bytes:
    """The page image, its own bytes (no re-encoding), as the only content of a one-page PDF of its physical
    size at ``dpi``: what a scanner writes, and the same pixels a plain engine read of the image file sees."""
    from PIL import Image

    from tools.ocr_quality.degrade import scan_pdf

    with Image.open(image_path) as image:
        width, height = image.size
    return scan_pdf([(image_path.read_bytes(), width, height, dpi)])


# --- evaluation -----------------------------------------------------------------------------------------------
PLAIN = "tesseract-plain"  # the engine's own read, told the page's true language: the bar to meet


@dataclass(frozen=True)
class _StagePage:
    """What tools.ocr_quality.evaluate.run_system needs of a page: an id, a PDF, a manifest entry."""

    entry: dict
    pdf: Path

    @property
    def id(self) -> str:
        return self.entry["id"]


def tesseract_lang(language: str) -> str:
    """The Tesseract pack of a page's language: real_sources.json names it by Tesseract's own code (fra, deu,
    eng, ...); a two-letter code goes through the synthetic set's table."""
    from tools.ocr_quality.evaluate import TESSERACT_LANGS

    return language if language in TESSERACT_LANGS.values() else TESSERACT_LANGS.get(language, "eng")


def plain_lang(entry: dict) -> str:
    """The pack the bar is told: the page's own ``tesseract`` field where its language has no Tesseract pack
    (Komi is read with ``rus``, the nearest pack of the same alphabet) or one the two-letter table lacks (Ancient
    Greek, ``grc``), else its language's pack."""
    return entry.get("tesseract") or tesseract_lang(entry["language"])


def plain_packs(pages: list[RealPage]) -> list[str]:
    """The Tesseract packs the bar needs for these pages (installed before a run, as the synthetic set's are)."""
    return sorted({plain_lang(page.entry) for page in pages})


def plain_tesseract(pages: list[RealPage], log=print) -> dict[str, dict]:
    """``tesseract IMG - -l LANG`` per page (the CLI when installed, else libtesseract through tesserocr with the
    CLI's defaults: automatic page segmentation, the default engine, the whole image as it is), with the CPU
    seconds it took."""
    import resource
    import shutil

    def cpu() -> float:
        own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

    cli = shutil.which("tesseract")
    apis: dict[str, object] = {}
    results = {}
    for page in pages:
        lang = plain_lang(page.entry)
        start = cpu()
        if cli:
            text = subprocess.run([cli, str(page.image), "-", "-l", lang], capture_output=True, text=True,
                                  env={**os.environ, "OMP_THREAD_LIMIT": "1"}).stdout
        else:
            os.environ.setdefault("OMP_THREAD_LIMIT", "1")
            import tesserocr
            from PIL import Image

            from stages.ocr.scripts import tessdata_dir

            if lang not in apis:
                apis[lang] = tesserocr.PyTessBaseAPI(path=f"{tessdata_dir()}/", lang=lang)
            with Image.open(page.image) as image:
                apis[lang].SetImage(image.convert("RGB"))
                text = apis[lang].GetUTF8Text()
        results[page.id] = {"text": text, "failed": False, "engine": "tesseract", "script": None,
                            "orientation": None, "confidence": None, "cpu_s": round(cpu() - start, 4)}
    for api in apis.values():
        api.End()
    log(f"{PLAIN}: {len(pages)} pages ({'CLI ' + cli if cli else 'tesserocr, CLI defaults'})")
    return results


def groups_of(entry: dict) -> list[str]:
    return [f"script {entry['script']}", f"language {entry['language']}",
            f"language {entry['language']} {entry['split']}", f"source {entry['repo'].split('/')[-1]}",
            f"split {entry['split']}", "all"]


def score_rows(pages: list[RealPage], results: dict[str, dict], body: bool) -> list[dict]:
    from tools.ocr_quality.text import similarity

    rows = []
    for page in pages:
        result = results[page.id]
        truth = page.body if body else page.truth
        rows.append({"id": page.id, "groups": groups_of(page.entry),
                     "similarity": round(similarity(truth, result["text"], page.entry["script"]), 4),
                     "failed": result["failed"], "cpu_s": result["cpu_s"], "confidence": result["confidence"],
                     "read_with": result.get("read_with")})
    return rows


def summarize(rows: list[dict]) -> dict[str, dict]:
    import statistics

    names = sorted({g for r in rows for g in r["groups"]}, key=lambda g: (g == "all", g))
    summary = {}
    for name in names:
        chosen = [r for r in rows if name in r["groups"]]
        cpu = sum(r["cpu_s"] or 0.0 for r in chosen)
        summary[name] = {"pages": len(chosen), "similarity": round(statistics.fmean(r["similarity"] for r in chosen), 4),
                         "min": round(min(r["similarity"] for r in chosen), 4),
                         "failed": sum(r["failed"] for r in chosen),
                         "pages_per_cpu_s": round(len(chosen) / cpu, 4) if cpu else None}
    return summary


def markdown(report: dict) -> str:
    systems = report["systems"]
    first = next(iter(systems.values()))["summary"]
    lines = [f"Real scans with human truth: {report['pages']} pages ({report['split']}); similarity = 1 - CER, mean "
             f"per group; {PLAIN} against the whole page's truth, stage systems against the truth without the "
             "blocks transcribers tagged as page numbers / running titles (the stage leaves those out).", "",
             "| group (pages) | " + " | ".join(systems) + " |", "|---|" + "---:|" * len(systems)]
    for group, cell in first.items():
        lines.append(f"| {group} ({cell['pages']}) | " + " | ".join(
            f"{systems[s]['summary'][group]['similarity']:.3f}" for s in systems) + " |")
    lines.append("| **pages / CPU s** (all) | " + " | ".join(
        f"{systems[s]['summary']['all']['pages_per_cpu_s'] or 0:.3f}" for s in systems) + " |")
    lines.append("| failed pages | " + " | ".join(str(systems[s]["summary"]["all"]["failed"]) for s in systems) + " |")
    if PLAIN in systems:
        plain = {r["id"]: r["similarity"] for r in report["rows"][PLAIN]}
        for name in systems:
            if name == PLAIN:
                continue
            deltas = sorted((r["similarity"] - plain[r["id"]], r["id"], "split heldout" in r["groups"])
                            for r in report["rows"][name])
            below = sum(d < -0.01 for d, _, _ in deltas)
            tune = [(d, i) for d, i, heldout in deltas if not heldout]  # held-out pages are never named one by one
            lines += ["", f"{name}: {below} pages more than 0.01 below {PLAIN}; lowest tune pages: "
                      + ", ".join(f"{i} ({d:+.3f})" for d, i in tune[:6])]
    return "\n".join(lines) + "\n"


def evaluate(pages: list[RealPage], systems: list[str], work: Path, workers: int = 2, log=print) -> dict:
    from tools.ocr_quality.evaluate import ensure_language_packs, parse_system, run_system

    if PLAIN in systems:  # the bar's packs (grc is none of the stage's): installed here, or it stops saying which
        ensure_language_packs(plain_packs(pages), log=log)
    report: dict = {"pages": len(pages), "systems": {}, "rows": {}}
    stage_pages = []
    (work / "pdf").mkdir(parents=True, exist_ok=True)
    for page in pages:
        pdf = work / "pdf" / f"{page.id}.pdf"
        if not pdf.is_file():
            pdf.write_bytes(image_pdf(page.image, page.entry["dpi"]))
        stage_pages.append(_StagePage(page.entry, pdf))
    for spec in systems:
        if spec == PLAIN:
            results, body = plain_tesseract(pages, log), False
            name = PLAIN
        else:
            system = parse_system(spec)
            name = system.name
            log(f"real scans: {name} on {len(pages)} pages")
            results, body = run_system(system, stage_pages, work, workers), True
        rows = score_rows(pages, results, body)
        report["systems"][name] = {"summary": summarize(rows)}
        report["rows"][name] = rows
    return report


def main(argv: list[str] | None = None) -> int:
    import argparse
    import sys
    import tempfile

    parser = argparse.ArgumentParser(prog="python -m tools.ocr_quality.real", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="take the pages of real_sources.json from git checkouts into the set folder")
    b.add_argument("--repos", type=Path, required=True, help="folder of checkouts: REPOS/OWNER+NAME")
    b.add_argument("--set", type=Path, default=None)
    r = sub.add_parser("run", help="run the systems on the set and print the tables")
    r.add_argument("--set", type=Path, default=None)
    r.add_argument("--systems", default=f"{PLAIN},rapidocr,cpu",
                   help=f"{PLAIN} and tools.ocr_quality systems (NAME or NAME=ENGINE:key=value,...; ';' between "
                   "systems with settings)")
    r.add_argument("--split", default="all", choices=("all", "tune", "heldout"))
    r.add_argument("--only", default="", help="comma-separated page ids or id prefixes")
    r.add_argument("--workers", type=int, default=2)
    r.add_argument("--work-dir", type=Path, default=None)
    r.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    say = lambda message: print(message, file=sys.stderr)  # noqa: E731
    if args.command == "build":
        build(args.repos, args.set, log=say)
        return 0
    pages = load_set(args.set)
    if args.split != "all":
        pages = [p for p in pages if p.entry["split"] == args.split]
    if args.only:
        prefixes = tuple(args.only.split(","))
        pages = [p for p in pages if p.id.startswith(prefixes)]
    systems = [s for s in args.systems.split(";" if "=" in args.systems else ",") if s]
    with tempfile.TemporaryDirectory(prefix="finepdfs-ocr-real-") as tmp:
        report = evaluate(pages, systems, args.work_dir or Path(tmp), args.workers, log=say)
    report["split"] = args.split
    print(markdown(report))
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
