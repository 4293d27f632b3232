"""`finepdfs show OUT ID_OR_PATH`: what happened to one input, stage by stage, and the text that came out of it.

Every stage records each document it saw: an output row, a drop row (reason and the values that decided it, the
``details`` column) or an error row (error class and message). This command looks the document up in each stage's
folder of the run, by id (the sha256 of its bytes, or a prefix of it) or by the input's path or URL, and prints
its journey. Everything printed comes from untrusted PDFs: control characters and terminal escape sequences are
shown as ``\\x1b``-style escapes, never sent to the terminal.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field

import click

from runfolder.reader import folder as _folder
from runfolder.reader import read_rows, rows_with_ids
from shared import registry, schemas
from shared.outcomes import describe
from textkit.bidi import BIDI_MARKS
from textkit.languages import REMOVED_SUFFIX

_HEX = re.compile(r"^[0-9a-f]{8,64}$")
# small columns worth showing, per dataset (never the text or the PDF bytes)
SHOWN = {
    "raw_pdfs": [schemas.FILE_PATH, schemas.URL, schemas.SIZE_BYTES],
    "routed_pdfs": [schemas.ROUTE, schemas.ROUTE_REASON, schemas.OCR_PROB, schemas.NUM_PAGES],
    "documents": [schemas.EXTRACTOR, schemas.NUM_PAGES, schemas.FAILED_PAGES],
    "filtered_documents": [schemas.SUBSET, schemas.PAGE_AVERAGE_LID, schemas.PAGE_AVERAGE_LID_SCORE,
                           schemas.FULL_DOC_LID, schemas.FULL_DOC_LID_SCORE, schemas.EDU_SCORE,
                           *[table + schemas.QUALITY_FAIL_SUFFIX for table in schemas.QUALITY_MEASUREMENTS]],
    "deduped_documents": [schemas.SUBSET, schemas.MINHASH_CLUSTER_ID, schemas.MINHASH_CLUSTER_SIZE],
    "final_documents": [schemas.SUBSET, schemas.TOKEN_COUNT],
}


def safe(text: object) -> str:
    """Text for a terminal: control and bidi characters as visible escapes (newlines and tabs stay)."""
    out = []
    for char in str(text):
        code = ord(char)
        if char in "\n\t":
            out.append(char)
        elif unicodedata.category(char) == "Cc" or BIDI_MARKS.match(char):  # move the cursor / reorder the line
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
        else:
            out.append(char)
    return "".join(out)


@dataclass
class Event:
    stage: str
    fate: str  # "kept", "dropped", "failed"
    detail: str
    where: str = ""
    values: dict = field(default_factory=dict)


def resolve_ids(run: str, target: str) -> tuple[set[str], set[str]]:
    """(ids, sources): the documents ``target`` names, by id or id prefix, or by input path / URL."""
    ingest = registry.STAGES[0].output_uri(run)
    ids, sources = set(), set()
    rows = read_rows(ingest, [schemas.ID, schemas.FILE_PATH, schemas.URL])
    bookkeeping = [r for sub in ("drops", "errors") for r in read_rows(f"{ingest}/{sub}", [schemas.ID, schemas.SOURCE])]
    lowered = target.lower()
    if _HEX.match(lowered):
        ids |= {r[schemas.ID] for r in rows + bookkeeping if r[schemas.ID].startswith(lowered)}
    if not ids:
        def matches(value: str | None) -> bool:
            return bool(value) and (value == target or value.endswith("/" + target.lstrip("/")))

        for row in rows:
            if matches(row.get(schemas.FILE_PATH)) or matches(row.get(schemas.URL)):
                ids.add(row[schemas.ID])
                sources.add(row.get(schemas.URL) or row.get(schemas.FILE_PATH))
        for row in bookkeeping:
            if matches(row.get(schemas.SOURCE)):
                ids.add(row[schemas.ID])
                sources.add(row[schemas.SOURCE])
    return ids, sources


def journey(run: str, target: str) -> tuple[list[Event], dict | None]:
    """The events of ``target`` in every stage of ``run``, in pipeline order, and its latest text row."""
    from runfolder.reader import ledger_folder

    run = run.rstrip("/")
    ids, sources = resolve_ids(run, target)
    events: list[Event] = []
    text_row = None
    if not ids:
        return events, None
    for stage in registry.STAGES:
        # a document that was dropped (and not kept in a removed subset) or failed went no further: a later row
        # with its id is another copy (the same bytes under another path)
        if events and events[-1].fate == "failed":
            break
        dropped_here = [e for e in events if e.fate == "dropped" and e.stage == events[-1].stage]
        if dropped_here and not any(e.fate == "kept" and e.stage == dropped_here[0].stage
                                    and e.where.endswith(REMOVED_SUFFIX) for e in events):
            break
        folder = stage.output_uri(run)
        bookkeeping = ledger_folder(stage.name, folder)
        first = len(events)
        dataset = stage.writes
        if dataset:
            data = stage.all_steps[-1].data_uri(folder)
            for partition, row in rows_with_ids(data, ids, SHOWN.get(dataset, [])):
                if stage.name == "ingest" and sources and (row.get(schemas.URL) or row.get(schemas.FILE_PATH)) \
                        not in sources:
                    continue  # the same bytes from another path: its own journey
                values = {k: v for k, v in row.items() if k != schemas.ID and v not in (None, [])}
                events.append(Event(stage.name, "kept", "", partition or dataset, values))
        for row in read_rows(f"{bookkeeping}/drops", [schemas.ID, schemas.DROP_REASON, schemas.DETAILS, schemas.SOURCE]):
            if row[schemas.ID] in ids and (stage.name != "ingest" or not sources or row.get(schemas.SOURCE) in sources):
                details = json.loads(row[schemas.DETAILS]) if row.get(schemas.DETAILS) else {}
                events.append(Event(stage.name, "dropped", row[schemas.DROP_REASON], "", details))
        for row in read_rows(f"{bookkeeping}/errors", [schemas.ID, schemas.ERROR_CLASS, schemas.ERROR_MESSAGE,
                                                   schemas.SOURCE]):
            if row[schemas.ID] in ids and (stage.name != "ingest" or not sources or row.get(schemas.SOURCE) in sources):
                events.append(Event(stage.name, "failed", row[schemas.ERROR_CLASS], "",
                                    {"message": row[schemas.ERROR_MESSAGE]}))
        # a drop kept in a removed subset: say the drop first, then where its text went
        here = events[first:]
        events[first:] = sorted(here, key=lambda e: e.fate == "kept" and e.where.endswith(REMOVED_SUFFIX))
        if dataset and dataset.endswith("documents"):
            rows = rows_with_ids(stage.all_steps[-1].data_uri(folder), ids,
                                        [schemas.TEXT, schemas.PAGE_ENDS, schemas.FAILED_PAGES])
            if rows:
                text_row = rows[0][1] | {"stage": stage.name}
    return events, text_row


def _format_values(values: dict) -> str:
    parts = []
    for key, value in values.items():
        if isinstance(value, float):
            value = f"{value:.4g}"
        parts.append(f"{key}={value}")
    return ", ".join(parts)


def describe_event(event: Event) -> str:
    if event.fate == "kept":
        where = f" -> {event.where}" if event.where else ""
        return f"kept{where}" + (f" ({_format_values(event.values)})" if event.values else "")
    if event.fate == "dropped":
        text = f"DROPPED: {event.detail}"
        meaning = describe(event.detail)
        if meaning:
            text += f" ({meaning})"
        values = dict(event.values)
        if {"score", "threshold"} <= set(values) and values["score"] is not None:
            text += f"; {values.get('language')} scored {values['score']:.4f} < threshold {values['threshold']}"
            values = {k: v for k, v in values.items() if k not in ("score", "threshold", "language")}
        if values:
            text += f"; {_format_values(values)}"
        return text
    return f"FAILED: {event.detail} ({describe(event.detail) or 'error'}): {event.values.get('message', '')}"


def render(target: str, events: list[Event], text_row: dict | None, full: bool = False, limit: int = 2000) -> str:
    from textkit.pages import split_pages

    if not events:
        return f"{target}: not found in this run (give an input path, a URL, or a document id / sha256 prefix)"
    lines = [f"{target}:"]
    kept_in_removed = {(e.stage, e.where) for e in events if e.fate == "kept" and e.where.endswith("_removed")}
    for event in events:
        line = f"  {event.stage:<16} {describe_event(event)}"
        if event.fate == "dropped" and any(stage == event.stage for stage, _ in kept_in_removed):
            line += " -> its text is kept in the removed subset"
        lines.append(line)
    if text_row:
        pages = split_pages(text_row[schemas.TEXT], text_row[schemas.PAGE_ENDS] or [len(text_row[schemas.TEXT])])
        failed = set(text_row.get(schemas.FAILED_PAGES) or [])
        lines += ["", f"text ({text_row['stage']}, {len(pages)} pages, {len(text_row[schemas.TEXT]):,} characters):"]
        shown = 0
        for i, page in enumerate(pages):
            mark = "  [failed page]" if i in failed else ""
            lines.append(f"--- page {i + 1}{mark} ---")
            if not full and shown + len(page) > limit:
                lines.append(page[: max(0, limit - shown)] + f"\n[... {len(text_row[schemas.TEXT]) - limit:,} more "
                             "characters: --full shows everything]")
                break
            lines.append(page)
            shown += len(page)
    return safe("\n".join(lines))


@click.command("show")
@click.argument("run_folder", metavar="OUT")
@click.argument("target", metavar="ID_OR_PATH")
@click.option("--full", is_flag=True, help="Print the whole text (default: the first 2,000 characters).")
def command(run_folder: str, target: str, full: bool) -> None:
    """What happened to one input of the run in OUT, stage by stage (kept, dropped with its reason and the scores
    that decided it, or failed with its error), and its text. ID_OR_PATH: the input's path (as under --input, or
    its file name), its URL, or its id (sha256 of the PDF, or a prefix of 8+ characters)."""
    from shared.runner import UsageError

    if not _folder(run_folder).isdir(""):
        raise UsageError(f"show: no run folder {run_folder}")
    events, text_row = journey(run_folder, target)
    click.echo(render(target, events, text_row, full=full))
    if not events:
        raise SystemExit(1)
