"""ingest on the hostile mutant set, damaged WARCs and filesystem oddities: every input comes out as a row, a
counted duplicate or an error row (with a declared class), in one shard that completes."""

import json

import pytest

from shared import outcomes, schemas
from shared.shards import read_dataset
from stages.cli import run_stage
from tools.hostile import corpus, fs, pdfs, warcs


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_every_hostile_input_is_accounted_for(tmp_path):
    root = tmp_path / "in"
    mutants = corpus.mutant_set(seed=1)
    for m in mutants:
        target = root / "mutants" / m.kind / f"{m.name}.pdf"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(m.data)
    good = pdfs.text_pdf("a good PDF under an undecodable name")
    records = {}
    for damage in warcs.DAMAGES:
        recs = [(f"https://w.example/{damage}/{k}.pdf", pdfs.text_pdf(f"{damage} record {k}"))
                for k in range(3)]
        suffix, data = warcs.damaged_warc(recs, damage)
        (root / "warc").mkdir(exist_ok=True)
        (root / "warc" / f"{damage}{suffix}").write_bytes(data)
        records[f"warc/{damage}{suffix}"] = [u for u, _ in recs]
    oddities = fs.add_oddities(root / "odd", good)

    out = tmp_path / "raw"
    assert run_stage("ingest", input=str(root), output=str(out), tasks=3) == 0
    rows = read_dataset(out).to_pylist()
    errors = read_dataset(out / "errors").to_pylist()
    drops = read_dataset(out / "drops").to_pylist()
    ledgers = [json.loads(p.read_text()) for p in sorted((out / "ledger").glob("*.json"))]
    assert all(ledger["balanced"] for ledger in ledgers)
    assert sum(ledger["docs_in"] for ledger in ledgers) == len(rows) + len(errors) + len(drops)

    sources = [r[schemas.URL] or r[schemas.FILE_PATH] for r in rows] + [e[schemas.SOURCE] for e in errors] \
        + [d[schemas.SOURCE] for d in drops]
    for m in mutants:  # every mutant file is exactly one row, error or drop
        assert sources.count(f"mutants/{m.kind}/{m.name}.pdf") == 1, m.name
    for name in oddities:
        assert sources.count(f"odd/{name}") == 1, name
    by_class = {e[schemas.SOURCE]: e[schemas.ERROR_CLASS] for e in errors}
    assert by_class["odd/fifo.pdf"] == "NotARegularFile"
    assert by_class["odd/dangling.pdf"] == by_class["odd/loop.pdf"] == "BrokenLink"
    assert all(outcomes.error_outcome(e[schemas.ERROR_CLASS]) for e in errors)
    assert {e[schemas.ERROR_CLASS] for e in errors} <= {"EmptyFile", "NotAPdf", "NotARegularFile", "BrokenLink",
                                                       "UnreadableArchive"}
    # damaged WARCs: the records beside the damaged one come out whole; the damaged one is flagged or an error
    for path, urls in records.items():
        found = {r[schemas.URL]: r[schemas.IS_TRUNCATED] for r in rows if r[schemas.FILE_PATH] == path}
        assert found.get(urls[0]) is False, (path, found)
        if not path.startswith("warc/cut"):
            assert found.get(urls[2]) is False, (path, found)
        gaps = [e for e in errors if e[schemas.SOURCE] == path]
        assert found.get(urls[1]) is True or gaps, (path, found)
    assert [r[schemas.MEDIA][0]["media_bytes"] for r in rows if r[schemas.FILE_PATH] == "odd/bad%FF%FE name.pdf"] \
        == [good]
