"""The soak's per-input accounting: a real ingest, then later stages written by hand with known fates."""

import hashlib
import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from shared import schemas
from stages.cli import run_stage
from tools.hostile import pdfs
from tools.soak.accounting import account

P, Q, R, S = (pdfs.text_pdf(t) for t in ("kept to the end", "a near duplicate", "wrong language", "vanishes"))


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def stage(run, name, out=(), drops=None, errors=None, part=None, rank=0, complete=True, pages=None):
    """A stage folder as a ShardWriter leaves it: output ids, drops, errors, and a balanced ledger. ``pages``:
    id -> (num_pages, failed_pages, is_truncated) of the output rows."""
    folder = run / name
    (folder / (part or "")).mkdir(parents=True, exist_ok=True)
    columns = {schemas.ID: pa.array(list(out), pa.string())}
    if pages is not None:
        columns[schemas.NUM_PAGES] = [pages[i][0] for i in out]
        columns[schemas.FAILED_PAGES] = pa.array([pages[i][1] for i in out], pa.list_(pa.int32()))
        columns[schemas.IS_TRUNCATED] = [pages[i][2] for i in out]
    pq.write_table(pa.table(columns), folder / (part or "") / f"{rank:05d}.parquet")
    for sub, rows, column in (("drops", drops or {}, schemas.DROP_REASON), ("errors", errors or {},
                                                                            schemas.ERROR_CLASS)):
        (folder / sub).mkdir(exist_ok=True)
        table = {schemas.ID: list(rows), column: list(rows.values()), schemas.SOURCE: ["x"] * len(rows)}
        if sub == "errors":
            table[schemas.ERROR_MESSAGE] = [""] * len(rows)
        pq.write_table(pa.table(table), folder / sub / f"{rank:05d}.parquet")
    if complete:
        (folder / "ledger").mkdir(exist_ok=True)
        n_in = len(out) + len(drops or {}) + len(errors or {})
        (folder / "ledger" / f"{rank:05d}.json").write_text(json.dumps({
            "stage": name, "rank": rank, "docs_in": n_in, "docs_out": len(out), "dropped": {}, "failed": {}}))


@pytest.fixture
def run(tmp_path):
    root = tmp_path / "in"
    root.mkdir()
    for name, data in (("a.pdf", P), ("b.pdf", P), ("c.pdf", Q), ("d.pdf", R), ("e.pdf", S),
                       ("html.pdf", pdfs.not_a_pdf("html"))):
        (root / name).write_bytes(data)
    import os

    os.mkfifo(root / "fifo.pdf")
    out = tmp_path / "run"
    assert run_stage("ingest", input=str(root), output=str(out / "ingest")) == 0
    p, q, r, s = sha(P), sha(Q), sha(R), sha(S)
    stage(out, "classify", [p, q, r, s], part="docling")
    stage(out, "extract-docling", [p, q, r])  # S vanishes here: in no output, drop or error
    stage(out, "ocr", [])
    stage(out, "filter", [p, q], drops={r: "lid_low_score"}, part="en")
    stage(out, "dedup", [p], drops={q: "minhash_duplicate"}, part="en")
    stage(out, "tokenize", [p], part="en")
    return out


def manifest(*entries):
    return {"inputs": [{"path": path, "kind": kind, "detail": "", "url": None} for path, kind in entries]}


def test_every_input_is_traced_to_its_fate(run):
    result = account(run, manifest(("a.pdf", "good"), ("b.pdf", "duplicate"), ("c.pdf", "good"),
                                   ("d.pdf", "good"), ("e.pdf", "good"), ("html.pdf", "hostile"),
                                   ("fifo.pdf", "oddity")), tasks=1)
    outcome = {r["path"]: r["outcome"] for r in result["results"]}
    assert outcome == {
        "a.pdf": "final at tokenize",
        "b.pdf": "dropped at ingest: duplicate_pdf_bytes",
        "c.pdf": "dropped at dedup: minhash_duplicate",
        "d.pdf": "dropped at filter: lid_low_score",
        "e.pdf": "lost at extract-docling/ocr: last seen in classify",
        "html.pdf": "error at ingest: NotAPdf",
        "fifo.pdf": "error at ingest: NotARegularFile",
    }
    assert next(r for r in result["results"] if r["path"] == "b.pdf")["kept_copy"] == "final at tokenize"
    assert [r["path"] for r in result["lost"]] == ["e.pdf"]
    assert result["unmatched_ingest_rows"] == [] and result["duplicated_ids"] == {}


def test_an_input_nobody_names_is_lost_and_an_unfinished_stage_is_not_run(run):
    import shutil

    shutil.rmtree(run / "dedup")
    stage(run, "dedup", [], part="en", complete=False)  # dedup began and did not finish
    result = account(run, manifest(("a.pdf", "good"), ("d.pdf", "good"), ("ghost.pdf", "good")), tasks=1)
    outcome = {r["path"]: r["outcome"] for r in result["results"]}
    assert outcome == {"a.pdf": "not run at dedup: last seen in filter",
                       "d.pdf": "dropped at filter: lid_low_score",
                       "ghost.pdf": "lost at ingest: no row, drop or error names it"}
    assert result["stages_complete"]["dedup"] is False and result["stages_complete"]["filter"] is True
    assert account(run, manifest(), tasks=2)["stages_complete"]["ingest"] is False  # one shard of two


def test_a_mutant_in_the_final_dataset_with_fewer_pages_and_no_flag_is_named(run):
    import shutil

    shutil.rmtree(run / "tokenize")
    stage(run, "tokenize", [sha(P)], part="en", pages={sha(P): (2, [], False)})
    entries = manifest(("a.pdf", "hostile"))
    entries["inputs"][0] |= {"detail": "truncated", "source_pages": 5}
    final = account(run, entries, tasks=1)["final"]
    assert final["unflagged_partial_documents"] == [{"input": "a.pdf", "kind": "truncated", "source_pages": 5,
                                                     "num_pages": 2, "failed_pages": [], "is_truncated": False}]
    shutil.rmtree(run / "tokenize")
    stage(run, "tokenize", [sha(P)], part="en", pages={sha(P): (2, [2, 3, 4], False)})  # listed: flagged
    final = account(run, entries, tasks=1)["final"]
    assert len(final["mutants_with_fewer_pages_than_their_source"]) == 1 and final["unflagged_partial_documents"] == []
