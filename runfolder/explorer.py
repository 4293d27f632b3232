"""`finepdfs inspect OUT`: one self-contained HTML page to look at what the pipeline made, page by page.

A seeded sample of the final documents per (route, extractor, subset): each page rendered as a thumbnail (PyMuPDF,
from the bytes ingest stored) beside the text extracted from that page (``page_ends`` cut the text exactly),
failed pages marked, the furniture a stage removed counted where the documents carry that column; then samples of
the dropped and failed documents of every stage with their reasons (and a thumbnail of their first page when it
renders). Bounded: documents per group, pages per document, thumbnail size.

Everything on the page comes from untrusted PDFs (file names, URLs, metadata, text): all of it is escaped, the
page carries no script, and its Content-Security-Policy forbids scripts and any load but its own inline images.
Rendering runs in a bounded child process (shared/isolation.py): a hostile PDF costs its thumbnails, not the page.
"""

from __future__ import annotations

import base64
import json
import random
from collections import defaultdict
from html import escape

import click

from runfolder.reader import bytes_stage, final_folder, read_rows, rows_with_ids
from runfolder.reader import folder as _folder
from shared import registry, schemas
from shared.outcomes import describe

CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
SAMPLE_COLUMNS = [schemas.ID, schemas.ROUTE, schemas.EXTRACTOR, schemas.SUBSET, schemas.LANGUAGE]
DOCUMENT_COLUMNS = [schemas.ID, schemas.TEXT, schemas.PAGE_ENDS, schemas.FAILED_PAGES, schemas.NUM_PAGES,
                    schemas.FILE_PATH, schemas.URL, schemas.SHA256, schemas.ROUTE, schemas.EXTRACTOR, schemas.SUBSET,
                    schemas.OCR_PROB, schemas.PAGE_AVERAGE_LID_SCORE, schemas.TOKEN_COUNT]
FURNITURE = getattr(schemas, "FURNITURE_CHARS", None)  # characters of page furniture removed, where recorded
TEXT_LIMIT = 4000  # characters of one page's text shown



def sample(rows: list[dict], key, per_group: int, seed: int) -> dict[tuple, list[dict]]:
    """``per_group`` rows of each group, chosen with ``seed`` from the rows sorted by id (reproducible)."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: r[schemas.ID]):
        groups[key(row)].append(row)
    rng = random.Random(seed)
    return {k: rng.sample(groups[k], min(per_group, len(groups[k]))) for k in sorted(groups, key=str)}


def byte_locations(run: str) -> dict[str, tuple[str, int]]:
    """id -> (ingest shard, row): where ingest stored each PDF's bytes."""
    import pyarrow.parquet as pq

    from shared.shards import list_shards

    locations = {}
    ingest = bytes_stage().output_uri(run)
    for shard in list_shards(ingest):
        from datatrove.io import open_file

        with open_file(shard, "rb") as f, pq.ParquetFile(f) as pqf:
            for row, doc_id in enumerate(pqf.read(columns=[schemas.ID]).column(0).to_pylist()):
                locations.setdefault(doc_id, (shard, row))
    return locations


def _renderer_init(_):
    return None


def render_pages(_state, payload) -> list[bytes | None]:
    """JPEG thumbnails of the first ``max_pages`` pages (None for a page that does not render)."""
    import pymupdf

    data, max_pages, px = payload
    images: list[bytes | None] = []
    with pymupdf.open(stream=data, filetype="pdf") as pdf:
        for index in range(min(max_pages, pdf.page_count)):
            try:
                page = pdf[index]
                zoom = px / max(page.rect.width, page.rect.height, 1)
                pixmap = page.get_pixmap(matrix=pymupdf.Matrix(zoom, zoom), alpha=False)
                images.append(pixmap.tobytes("jpeg", jpg_quality=70))
            except Exception:  # noqa: BLE001 - one page that does not render is shown as such
                images.append(None)
    return images


class Thumbnails:
    """Renders thumbnails from the bytes ingest stored, in a bounded child process."""

    def __init__(self, run: str, px: int, timeout_s: float = 60.0, max_memory_mb: int = 2048):
        self.locations = byte_locations(run)
        self.px = px
        self.timeout_s, self.max_memory_mb = timeout_s, max_memory_mb
        self._worker = None

    def __call__(self, doc_id: str, sha256: str | None, max_pages: int) -> tuple[list[bytes | None], str | None]:
        """(thumbnails, why there are none)."""
        from datatrove.data import Document, Media, MediaType

        from shared.isolation import BoundedWorker
        from shared.outcomes import StageError
        from shared.pdf_bytes import pdf_bytes

        location = self.locations.get(doc_id)
        if location is None:
            return [], "the PDF's bytes are not in this run's ingest output"
        doc = Document(text="", id=doc_id, media=[Media(id=doc_id, type=MediaType.DOCUMENT, url="", path=location[0],
                                                         offset=location[1])],
                       metadata={schemas.SHA256: sha256} if sha256 else {})
        try:
            data = pdf_bytes(doc)
        except StageError as error:
            return [], str(error)
        if self._worker is None:
            self._worker = BoundedWorker(_renderer_init, None, render_pages, timeout_s=self.timeout_s,
                                         max_memory_mb=self.max_memory_mb)
        try:
            return self._worker((data, max_pages, self.px)), None
        except Exception as error:  # noqa: BLE001 - a PDF that does not render costs its thumbnails only
            return [], f"not rendered: {type(error).__name__}: {error}"

    def close(self) -> None:
        if self._worker is not None:
            self._worker.close()


def _image(data: bytes | None, alt: str) -> str:
    if not data:
        return f'<div class="noimg">{escape(alt)}</div>'
    encoded = base64.b64encode(data).decode("ascii")
    return f'<img class="thumb" alt="{escape(alt, quote=True)}" src="data:image/jpeg;base64,{encoded}">'


def _meta(items: list[tuple[str, object]]) -> str:
    cells = "".join(f"<dt>{escape(k)}</dt><dd>{escape(str(v))}</dd>" for k, v in items if v not in (None, "", []))
    return f"<dl>{cells}</dl>"


def document_html(row: dict, thumbnails: list[bytes | None], why: str | None, max_pages: int) -> str:
    from textkit.pages import split_pages

    text = row.get(schemas.TEXT) or ""
    pages = split_pages(text, row.get(schemas.PAGE_ENDS) or [len(text)])
    failed = set(row.get(schemas.FAILED_PAGES) or [])
    source = row.get(schemas.URL) or row.get(schemas.FILE_PATH) or row[schemas.ID]
    meta = [("id", row[schemas.ID]), ("route", row.get(schemas.ROUTE)), ("extractor", row.get(schemas.EXTRACTOR)),
            ("subset", row.get(schemas.SUBSET)), ("pages", row.get(schemas.NUM_PAGES)),
            ("failed pages", ", ".join(str(p + 1) for p in sorted(failed))),
            ("tokens", row.get(schemas.TOKEN_COUNT))]
    if FURNITURE and row.get(FURNITURE):
        meta.append(("furniture removed (characters)", row[FURNITURE]))
    parts = [f'<article class="doc" data-doc="{escape(row[schemas.ID], quote=True)}">'
             f"<h3>{escape(source)}</h3>{_meta(meta)}"]
    if why:
        parts.append(f'<p class="note">no thumbnails: {escape(why)}</p>')
    for i, page in enumerate(pages[:max_pages]):
        mark = " failed" if i in failed else ""
        label = f"page {i + 1}" + (" (failed: no text)" if i in failed else "")
        image = thumbnails[i] if i < len(thumbnails) else None
        shown = page if len(page) <= TEXT_LIMIT else page[:TEXT_LIMIT] + f"\n[... {len(page) - TEXT_LIMIT:,} more]"
        parts.append(f'<div class="page{mark}" data-page="{i}"><div class="img">'
                     f"{_image(image, label if not why else 'no thumbnail')}<span>{escape(label)}</span></div>"
                     f'<pre class="text">{escape(shown)}</pre></div>')
    if len(pages) > max_pages:
        parts.append(f'<p class="note">{len(pages) - max_pages} more pages not shown (--max-pages)</p>')
    parts.append("</article>")
    return "".join(parts)


def outcome_rows(run: str) -> list[dict]:
    """Every drop and error row of every stage, with its stage and kind."""
    from runfolder.reader import ledger_folder

    rows = []
    for stage in registry.STAGES:
        folder = ledger_folder(stage.name, stage.output_uri(run))
        for kind, columns in (("dropped", [schemas.ID, schemas.DROP_REASON, schemas.SOURCE, schemas.DETAILS]),
                              ("failed", [schemas.ID, schemas.ERROR_CLASS, schemas.SOURCE, schemas.ERROR_MESSAGE])):
            for row in read_rows(f"{folder}/{'drops' if kind == 'dropped' else 'errors'}", columns):
                reason = row.get(schemas.DROP_REASON) or row.get(schemas.ERROR_CLASS)
                rows.append({**row, "stage": stage.name, "kind": kind, "why": reason})
    return rows


def outcome_html(row: dict, thumbnails: list[bytes | None], why: str | None) -> str:
    detail = row.get(schemas.DETAILS) or row.get(schemas.ERROR_MESSAGE) or ""
    if row.get(schemas.DETAILS):
        try:
            detail = ", ".join(f"{k}={v}" for k, v in json.loads(detail).items())
        except ValueError:
            pass
    image = _image(thumbnails[0] if thumbnails else None, "page 1" if thumbnails else (why or "no thumbnail"))
    return (f'<article class="outcome" data-outcome="{escape(row["kind"])}"><div class="img">{image}</div><div>'
            f"<h3>{escape(row.get(schemas.SOURCE) or row[schemas.ID])}</h3>"
            + _meta([("stage", row["stage"]), (row["kind"], row["why"]), ("what it means", describe(row["why"])),
                     ("details", detail), ("id", row[schemas.ID])]) + "</div></article>")


CSS = """
body{font-family:system-ui,'DejaVu Sans',sans-serif;margin:0;background:#f6f7f9;color:#222}
header{background:#1f2d3d;color:#fff;padding:16px 24px}header h1{margin:0;font-size:20px}
header p{margin:4px 0 0;color:#c9d3de;font-size:13px}main{padding:8px 24px 40px;max-width:1400px}
section{background:#fff;border:1px solid #e1e4e8;border-radius:6px;margin:14px 0;padding:6px 16px 12px}
h2{font-size:16px}h3{font-size:14px;margin:8px 0 4px;overflow-wrap:anywhere}
article{border-top:1px solid #eee;padding:8px 0}dl{display:flex;flex-wrap:wrap;gap:2px 14px;font-size:12px;margin:0 0 6px}
dt{color:#666}dd{margin:0 8px 0 0;overflow-wrap:anywhere}
.page{display:grid;grid-template-columns:auto 1fr;gap:12px;margin:6px 0;align-items:start}
.img{display:flex;flex-direction:column;align-items:center;font-size:11px;color:#555}
.thumb{border:1px solid #ccc;background:#fff;max-width:100%}
.noimg{width:160px;height:90px;display:flex;align-items:center;justify-content:center;text-align:center;
border:1px dashed #bbb;font-size:11px;color:#888;padding:4px}
pre.text{white-space:pre-wrap;overflow-wrap:anywhere;font-size:12px;background:#fafbfc;border:1px solid #eee;
margin:0;padding:6px;max-height:480px;overflow:auto}
.page.failed pre.text{background:#fdecea;border-color:#f5c6cb}.page.failed span{color:#c0392b;font-weight:bold}
.outcome{display:grid;grid-template-columns:auto 1fr;gap:12px}.note{font-size:12px;color:#666}
nav a{margin-right:10px;font-size:12px}
"""


def inspect_run(run: str, output: str, seed: int = 0, per_group: int = 2, max_documents: int = 40,
                max_pages: int = 4, thumbnail_px: int = 240, per_reason: int = 2) -> dict:
    """Write the page; returns what it shows (group -> ids, outcomes) for callers and tests."""
    run = run.rstrip("/")
    final = final_folder(run)
    rows = read_rows(final, SAMPLE_COLUMNS)
    groups = sample(rows, lambda r: (r.get(schemas.ROUTE) or "-", r.get(schemas.EXTRACTOR) or "-",
                                     r.get(schemas.SUBSET) or r.get(schemas.LANGUAGE) or "-"), per_group, seed)
    chosen = [row[schemas.ID] for rows_ in groups.values() for row in rows_][:max_documents]
    documents: dict[str, dict] = {}
    for _, row in rows_with_ids(final, set(chosen), DOCUMENT_COLUMNS + ([FURNITURE] if FURNITURE else [])):
        documents.setdefault(row[schemas.ID], row)
    outcomes = sample(outcome_rows(run), lambda r: (r["stage"], r["kind"], r["why"]), per_reason, seed)
    thumbs = Thumbnails(run, thumbnail_px)
    sections, shown = [], {}
    try:
        for key, members in groups.items():
            ids = [m[schemas.ID] for m in members if m[schemas.ID] in documents and m[schemas.ID] in chosen]
            if not ids:
                continue
            body = []
            for doc_id in ids:
                row = documents[doc_id]
                images, why = thumbs(doc_id, row.get(schemas.SHA256), max_pages)
                body.append(document_html(row, images, why, max_pages))
            title = f"route {key[0]} · extractor {key[1]} · subset {key[2]}"
            anchor = "g-" + "-".join("".join(c if c.isalnum() else "_" for c in part) for part in key)
            sections.append((anchor, title, "".join(body), len(ids)))
            shown[key] = ids
        outcome_parts = []
        for members in outcomes.values():
            for row in members:
                images, why = thumbs(row[schemas.ID], None, 1)
                outcome_parts.append(outcome_html(row, images, why))
    finally:
        thumbs.close()
    nav = "".join(f'<a href="#{a}">{escape(t)} ({n})</a>' for a, t, _, n in sections)
    body = "".join(f'<section id="{a}"><h2>{escape(t)}</h2>{b}</section>' for a, t, b, _ in sections)
    body += ('<section id="outcomes"><h2>Dropped and failed documents (a sample per stage and reason)</h2>'
             + ("".join(outcome_parts) or '<p class="note">No document was dropped or failed.</p>') + "</section>")
    html = (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>finepdfs inspect: {escape(run)}</title><style>{CSS}</style></head><body>"
        f"<header><h1>finepdfs inspect</h1><p>{escape(run)} &middot; {len(chosen)} of {len(rows):,} final documents, "
        f"{per_group} per route, extractor and subset (seed {seed}), first {max_pages} pages each &middot; "
        "pages as rendered beside the text extracted from them</p></header>"
        f"<main><nav>{nav}</nav>{body}</main></body></html>\n"
    )
    folder, name = output.rsplit("/", 1) if "/" in output else (".", output)
    with _folder(folder).open(name, "wt") as f:
        f.write(html)
    return {"groups": shown, "outcomes": {k: [r[schemas.ID] for r in v] for k, v in outcomes.items()},
            "documents": len(rows)}


@click.command("inspect")
@click.argument("run_folder", metavar="OUT")
@click.option("--output", "-o", default=None, help="HTML file. Default: OUT/stats/inspect.html")
@click.option("--seed", default=0, show_default=True, help="Seed of the sample (the same seed, the same page).")
@click.option("--per-group", default=2, show_default=True, type=click.IntRange(min=1),
              help="Documents per route, extractor and subset.")
@click.option("--max-documents", default=40, show_default=True, type=click.IntRange(min=1),
              help="Documents on the page at most.")
@click.option("--max-pages", default=4, show_default=True, type=click.IntRange(min=1),
              help="Pages shown per document.")
@click.option("--thumbnail-px", default=240, show_default=True, type=click.IntRange(min=32, max=1200),
              help="Longest side of a page thumbnail, in pixels.")
def command(run_folder: str, output: str | None, seed: int, per_group: int, max_documents: int, max_pages: int,
            thumbnail_px: int) -> None:
    """Write one self-contained HTML page showing a seeded sample of OUT's final documents per route, extractor and
    subset: every page as a thumbnail beside the text extracted from it (failed pages marked), and samples of the
    dropped and failed documents with their reasons. No script runs on the page; everything from the PDFs is
    escaped."""
    from shared.runner import UsageError

    if not _folder(final_folder(run_folder.rstrip("/"))).isdir(""):
        raise UsageError(f"inspect: no final dataset in {final_folder(run_folder.rstrip('/'))}")
    output = output or f"{run_folder.rstrip('/')}/stats/inspect.html"
    result = inspect_run(run_folder, output, seed, per_group, max_documents, max_pages, thumbnail_px)
    shown = sum(len(v) for v in result["groups"].values())
    click.echo(f"inspect: {output} ({shown} documents in {len(result['groups'])} groups, "
               f"{sum(len(v) for v in result['outcomes'].values())} dropped or failed)", err=True)
