"""The hostile mutant set and the soak corpus, both seeded: the same seed writes the same files.

- ``mutant_set(seed)``: at least 200 hostile PDFs: every mutation of ``mutate.py`` applied to each bundled sample
  PDF (samples/pdfs) and to generated PDFs, the issue's exact reproduction (`head -c 39843
  samples/pdfs/text/report_en.pdf`), and every special of ``pdfs.py`` (nested forms, 300k text operators, deep
  arrays, bombs, encrypted, zero pages, non-PDFs, a 5,000-page PDF).
- ``write_corpus(out, count, seed, hostile_share)``: ``count`` PDFs for the soak: generated text PDFs (seeded
  prose in five languages, 1-3 pages), a few scans, exact byte copies, a share of hostile ones; part of them in
  WARC files (some duplicated across WARC files and folders, some WARC files damaged), plus the filesystem
  oddities. ``OUT/manifest.json`` lists every input (file or WARC record) and what it is, so that a soak can
  trace each one to an output row, a drop or an error row.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from tools.hostile import fs, mutate, pdfs, warcs

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples" / "pdfs"
ISSUE_TRUNCATION = ("text/report_en.pdf", 39843)  # issue 12 item 4: read as 5 pages, shipped as 2
WARC_RECORDS = 25  # PDF records per generated WARC file


@dataclass
class Mutant:
    name: str  # unique, file-name safe
    kind: str  # the hostile class ("truncated", "nested_xobjects", ...)
    data: bytes
    source: str = ""  # what it was made from
    source_pages: int | None = None  # pages of what it was made from (a mutant of a PDF)


def _sample_pdfs() -> list[tuple[str, bytes]]:
    return [(str(p.relative_to(SAMPLES)), p.read_bytes()) for p in sorted(SAMPLES.glob("*/*.pdf"))
            if p.parent.name in ("text", "scanned") and "copy" not in p.name]


def _fixture_pdf(kinds: list[str]) -> bytes:
    """tools.pdf_fixtures' pages ("text", "scan", "blank"), saved without a random /ID (the same bytes twice)."""
    import pymupdf

    from tools.pdf_fixtures import scan_page, text_page

    doc = pymupdf.open()
    for i, kind in enumerate(kinds):
        if kind == "text":
            text_page(doc, f"Harbour records, page {i + 1}. The ledger grew to eleven volumes.")
        elif kind == "scan":
            scan_page(doc)
        else:
            doc.new_page(width=595, height=842)
    data = doc.tobytes(garbage=3, deflate=True, no_new_id=True)
    doc.close()
    return data


def _generated_bases() -> list[tuple[str, bytes]]:
    return [("gen/text3", _fixture_pdf(["text", "text", "text"])), ("gen/scan-text", _fixture_pdf(["scan", "text"])),
            ("gen/blank-text", _fixture_pdf(["blank", "text"])), ("gen/raw", pdfs.text_pdf())]


def mutant_set(seed: int = 0, varied: bool = False) -> list[Mutant]:
    """The hostile PDFs (see the module docstring); names are unique. ``varied``: seeded truncation offsets
    and shifts (further rounds of a corpus), instead of the fixed ones."""
    rng = random.Random(seed)
    found: list[Mutant] = []
    for name, pdf in _sample_pdfs() + _generated_bases():
        base = name.replace("/", "-").removesuffix(".pdf")
        pages = _pages(pdf)
        found += [Mutant(n, kind, data, name, pages) for n, kind, data in mutate.mutants(base, pdf, rng, varied)]
    path, at = ISSUE_TRUNCATION
    whole = (SAMPLES / path).read_bytes()
    found.append(Mutant("issue12-report_en-head-39843", "truncated", whole[:at], path, _pages(whole)))
    for name, make in pdfs.SPECIALS.items():
        found.append(Mutant(f"special-{name}", name, make(), "tools/hostile/pdfs.py"))
    return found


def _pages(pdf: bytes) -> int:
    import pymupdf

    with pymupdf.open(stream=pdf, filetype="pdf") as doc:
        return doc.page_count


# --- good PDFs ---------------------------------------------------------------------------------------------
def _language_words() -> dict[str, list[str]]:
    from samples import sample_texts

    t = sample_texts

    docs = {"en": [t.SINGLE_PAGE_EN, t.REPORT_EN, t.NEAR_DUP_EN, t.MIXED_EN, t.SCAN_LETTER_EN, t.SCAN_MINUTES_EN],
            "fr": [t.FRENCH_FR], "de": [t.GERMAN_DE], "es": [t.SPANISH_ES], "ru": [t.RUSSIAN_RU]}
    return {lang: [w for doc in found for page in doc for para in page for w in para.split()]
            for lang, found in docs.items()}


class Prose:
    """Seeded prose over the samples' own text (original prose of this project): words of one language drawn
    by their frequency there, in sentences. Documents are distinct (no near-duplicate clusters, no repeated
    n-grams for the repetition filters) yet have a language's words and stop words at its rates."""

    def __init__(self):
        self.words = {lang: [w.strip("\u201c\u201d\"()") for w in words] for lang, words in _language_words().items()}

    def paragraph(self, rng: random.Random, lang: str, words: int) -> str:
        pool = self.words[lang]
        out, start = [], True
        for _ in range(words):
            word = rng.choice(pool).rstrip(".,;:!?") if rng.random() > 0.08 else rng.choice(pool)
            if not word:
                continue
            out.append(word[:1].upper() + word[1:] if start else word.lower() if word[1:].islower() else word)
            start = word.endswith((".", "!", "?"))
            if not start and rng.random() < 0.07:
                out[-1] += "."
                start = True
        text = " ".join(out)
        return text if text.endswith(".") else text.rstrip(",;:") + "."


def good_pdf(prose: Prose, rng: random.Random, index: int, scan: bool = False) -> tuple[str, bytes]:
    """(language, bytes) of one generated PDF: 1-3 pages of prose (a scan: one page, rendered to an image)."""
    import pymupdf

    from samples import make_samples

    m = make_samples
    FIXED_DATE, SCAN, SERIF, image_page, scan_image, text_page = (  # noqa: N806 - the samples' own names
        m.FIXED_DATE, m.SCAN, m.SERIF, m.image_page, m.scan_image, m.text_page)

    lang = rng.choice(["en", "en", "en", "fr", "de", "es", "ru"])
    doc = pymupdf.open()
    pages = 1 if scan else rng.randint(1, 3)
    for page in range(pages):
        paragraphs = [f"Document {index}, page {page + 1}"] + [prose.paragraph(rng, lang, rng.randint(40, 90))
                                                                for _ in range(3)]
        if scan:
            image_page(doc, scan_image(paragraphs, seed=index, angle=rng.uniform(-1, 1), style=SCAN))
        else:
            text_page(doc, paragraphs, SERIF)
    doc.set_metadata({"title": f"Document {index}", "author": "tools/hostile", "creator": "tools/hostile/corpus.py",
                      "producer": "PyMuPDF", "creationDate": FIXED_DATE, "modDate": FIXED_DATE})
    doc.subset_fonts()
    data = doc.tobytes(garbage=4, deflate=True, no_new_id=True)
    doc.close()
    return lang, data


# --- the corpus --------------------------------------------------------------------------------------------
@dataclass
class Input:
    """One input of the corpus: a file, or a record of a WARC file (``url`` set)."""

    path: str  # relative to the corpus folder, in the lossless text form ingest stores
    kind: str  # good | scan | duplicate | hostile | oddity
    detail: str = ""  # the hostile class, the oddity, the language, what it duplicates
    url: str | None = None
    sha256: str | None = None
    warc_damage: str | None = None  # the damage of its WARC file (and whether this is the damaged record)
    damaged_record: bool = False
    source_pages: int | None = None  # a mutant: the page count of the PDF it was made from


@dataclass
class Manifest:
    seed: int
    count: int
    hostile_share: float
    exclude_kinds: list[str] = field(default_factory=list)
    inputs: list[Input] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"seed": self.seed, "count": self.count, "hostile_share": self.hostile_share,
                "exclude_kinds": self.exclude_kinds, "inputs": [asdict(i) for i in self.inputs]}


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hostile(count: int, seed: int, exclude: frozenset[str] = frozenset()) -> Iterator[Mutant]:
    """``count`` hostile PDFs: the whole mutant set (every special first) and more seeded rounds if needed;
    none of the ``exclude`` kinds."""
    round_ = 0
    produced = 0
    while produced < count:
        found = [m for m in mutant_set(seed + round_, varied=round_ > 0) if m.kind not in exclude]
        found.sort(key=lambda m: (not m.name.startswith("special-"), m.name))
        if round_:
            found = [m for m in found if not m.name.startswith("special-")]
            for m in found:
                m.name = f"{m.name}.r{round_}"
        if count - produced < len(found) and round_ == 0:
            specials = [m for m in found if m.name.startswith("special-")]
            rest = random.Random(seed).sample(found[len(specials):], max(0, count - produced - len(specials)))
            found = (specials + rest)[: count - produced]
        for mutant in found[: count - produced]:
            produced += 1
            yield mutant
        round_ += 1


def write_corpus(out: Path, count: int = 5000, seed: int = 0, hostile_share: float = 0.1,
                 scan_share: float = 0.01, duplicate_share: float = 0.03, warc_share: float = 0.1,
                 oddities: bool = True, exclude_kinds: tuple[str, ...] = ()) -> Manifest:
    """Write ``count`` PDFs under ``out/pdfs`` (files and WARC records) and ``out/manifest.json``;
    ``exclude_kinds``: hostile kinds left out (e.g. one a stage is known to hang on, to soak the rest)."""
    rng = random.Random(seed)
    root = out / "pdfs"
    root.mkdir(parents=True, exist_ok=True)
    manifest = Manifest(seed, count, hostile_share, sorted(exclude_kinds))
    hostile = max(0, round(count * hostile_share))
    scans = round(count * scan_share)
    duplicates = round(count * duplicate_share)
    good = count - hostile - scans - duplicates
    prose = Prose()
    made: list[tuple[str, bytes]] = []  # good PDFs (path, bytes): the pool duplicates and WARC records draw from

    def place(rel: str, data: bytes, kind: str, detail: str = "", source_pages: int | None = None) -> None:
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        manifest.inputs.append(Input(rel, kind, detail, sha256=_sha(data), source_pages=source_pages))

    in_warcs = round(good * warc_share)
    warc_pool: list[tuple[str, bytes, str]] = []
    for i in range(good + scans):
        scan = i >= good
        lang, data = good_pdf(prose, rng, i, scan=scan)
        kind = "scan" if scan else "good"
        if not scan and i < in_warcs:
            warc_pool.append((f"https://crawl.example/{lang}/{i}.pdf", data, lang))
            continue
        rel = f"{kind}/{i // 1000:02d}/{kind}-{i:05d}-{lang}.pdf"
        place(rel, data, kind, lang)
        made.append((rel, data))
    for i in range(duplicates):  # exact byte copies under other names (and, below, across WARC files)
        source_rel, data = rng.choice(made)
        place(f"copies/copy-{i:05d}.pdf", data, "duplicate", source_rel)
    for mutant in _hostile(hostile, seed, frozenset(exclude_kinds)):
        place(f"hostile/{mutant.kind}/{mutant.name}.pdf", mutant.data, "hostile", mutant.kind, mutant.source_pages)

    # WARC files: the pool in files of WARC_RECORDS records; one copy of a folder PDF and one record repeated
    # across two WARC files; then one damaged WARC per damage, each holding fresh records.
    if warc_pool:
        warc_pool.append(("https://crawl.example/copy-of-folder.pdf", made[0][1], "duplicate"))
        warc_pool.append(("https://mirror.example/repeat.pdf", warc_pool[0][1], "duplicate"))
    chunks = [warc_pool[i:i + WARC_RECORDS] for i in range(0, len(warc_pool), WARC_RECORDS)]  # repeat: last file
    for n, chunk in enumerate(chunks):
        data, _ = warcs.warc_file([(u, b) for u, b, _ in chunk], gzip=n % 2 == 0)
        rel = f"warc/crawl-{n:03d}.warc" + (".gz" if n % 2 == 0 else "")
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        for url, body, detail in chunk:
            manifest.inputs.append(Input(rel, "duplicate" if detail == "duplicate" else "good", detail, url=url,
                                         sha256=_sha(body)))
    if warc_pool:
        for d, damage in enumerate(warcs.DAMAGES):
            records = [(f"https://damaged.example/{damage}/{k}.pdf", good_pdf(prose, rng, 100000 + 10 * d + k)[1])
                       for k in range(3)]
            suffix, data = warcs.damaged_warc(records, damage, victim=1)
            rel = f"warc/damaged-{damage}{suffix}"
            (root / rel).write_bytes(data)
            for k, (url, body) in enumerate(records):
                if damage == "cut" and k > 1:
                    continue  # cut away with the file's end: not in the input
                manifest.inputs.append(Input(rel, "good", "warc record", url=url, sha256=_sha(body),
                                             warc_damage=damage, damaged_record=k == 1))
    if oddities:
        for name, what in fs.add_oddities(root / "odd", made[0][1] if made else pdfs.text_pdf()).items():
            manifest.inputs.append(Input(f"odd/{name}", "oddity", what))
    (out / "manifest.json").write_text(json.dumps(manifest.to_json(), indent=1))
    return manifest


def main(argv: list[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tools.hostile", description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write: OUT/pdfs (the input) and OUT/manifest.json")
    parser.add_argument("--count", type=int, default=5000, help="PDFs in all (files and WARC records)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--hostile-share", type=float, default=0.1)
    parser.add_argument("--exclude-kinds", default="", help="hostile kinds to leave out, comma-separated")
    parser.add_argument("--mutants-only", action="store_true",
                        help="write only the mutant set (OUT/<kind>/<name>.pdf), no corpus")
    args = parser.parse_args(argv)
    if args.mutants_only:
        for mutant in mutant_set(args.seed):
            target = args.out / mutant.kind / f"{mutant.name}.pdf"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(mutant.data)
        return 0
    if (args.out / "pdfs").exists() and any((args.out / "pdfs").iterdir()):
        parser.error(f"{args.out / 'pdfs'} is not empty")
    manifest = write_corpus(args.out, args.count, args.seed, args.hostile_share,
                            exclude_kinds=tuple(k for k in args.exclude_kinds.split(",") if k))
    kinds: dict[str, int] = {}
    for entry in manifest.inputs:
        kinds[entry.kind] = kinds.get(entry.kind, 0) + 1
    print(f"{len(manifest.inputs)} inputs in {args.out / 'pdfs'}: {kinds}")
    return 0
