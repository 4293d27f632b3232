"""The shard contract: complete shards appear atomically with a balanced ledger, or not at all."""

import json

import pytest
from datatrove.data import Document

from shared import schemas
from shared.ledger import ShardLedger, mark_dropped, mark_failed
from shared.outcomes import CorruptPdf
from shared.shards import ShardReader, ShardWriter, list_shards, read_dataset


def doc(i: int, lang: str = "en") -> Document:
    return Document(
        text=f"text {i}",
        id=f"doc-{i}",
        metadata={
            schemas.SHA256: f"{i:064x}", schemas.SIZE_BYTES: i, schemas.SOURCE_KIND: "file",
            schemas.IS_TRUNCATED: False, schemas.NUM_PAGES: 1, schemas.PAGE_ENDS: [6], schemas.EXTRACTOR: "test",
            schemas.FILE_PATH: f"f{i}.pdf", schemas.LANGUAGE: lang, schemas.SUBSET: lang,
        },
    )


def write(folder, docs, rank=0, docs_in=None, partition_by=None):
    ledger = ShardLedger("test", rank)
    ledger.docs_in = len(docs) if docs_in is None else docs_in
    writer = ShardWriter(str(folder), schemas.DOCUMENTS if not partition_by else schemas.FILTERED_DOCUMENTS,
                         "test", ledger, partition_by=partition_by)
    list(writer.run(iter(docs), rank=rank, world_size=1))
    return ledger


def test_outputs_drops_and_errors_are_routed_and_counted(tmp_path):
    docs = [doc(0), mark_dropped(doc(1), "test", "empty_text"),
            mark_failed(doc(2), "test", CorruptPdf("bad"))]
    ledger = write(tmp_path, docs)
    assert ledger.to_dict()["balanced"]
    assert read_dataset(tmp_path).column(schemas.ID).to_pylist() == ["doc-0"]
    assert read_dataset(tmp_path / "errors").to_pylist()[0][schemas.ERROR_CLASS] == "CorruptPdf"
    assert read_dataset(tmp_path / "drops").to_pylist()[0][schemas.DROP_REASON] == "empty_text"
    saved = json.loads((tmp_path / "ledger" / "00000.json").read_text())
    assert saved["docs_in"] == 3 and saved["dropped"] == {"empty_text": 1} and saved["failed"] == {"CorruptPdf": 1}


def test_a_lost_document_fails_the_shard_and_publishes_nothing(tmp_path):
    with pytest.raises(RuntimeError, match="does not balance"):
        write(tmp_path, [doc(0)], docs_in=2)
    assert list_shards(tmp_path) == [] and not (tmp_path / "ledger" / "00000.json").exists()


def test_rerunning_a_rank_replaces_its_previous_attempt(tmp_path):
    write(tmp_path, [doc(0, "en"), doc(1, "fr")], partition_by=schemas.LANGUAGE)
    assert sorted(p.parent.name for p in tmp_path.glob("*/00000.parquet")) == ["en", "fr"]
    (tmp_path / "_staging" / "00000").mkdir(parents=True)
    (tmp_path / "_staging" / "00000" / "00000.parquet").write_bytes(b"partial garbage")
    write(tmp_path, [doc(0, "en")], partition_by=schemas.LANGUAGE)
    assert [p.parent.name for p in tmp_path.glob("*/00000.parquet")] == ["en"]
    assert not (tmp_path / "_staging" / "00000").exists()


def test_rerunning_a_rank_removes_its_errors_and_leaves_other_ranks_alone(tmp_path):
    write(tmp_path, [doc(0), mark_failed(doc(1), "test", ValueError("bad"))], rank=0)
    write(tmp_path, [doc(2), mark_failed(doc(3), "test", ValueError("bad"))], rank=1)
    write(tmp_path, [doc(0)], rank=0)
    assert sorted(p.name for p in (tmp_path / "errors").iterdir()) == ["00001.parquet"]
    assert sorted(p.name for p in tmp_path.glob("0*.parquet")) == ["00000.parquet", "00001.parquet"]


def test_reader_rebuilds_documents_and_counts_them(tmp_path):
    write(tmp_path / "a", [doc(0)])
    write(tmp_path / "b", [doc(1), doc(2)])
    ledger = ShardLedger("next", 0)
    reader = ShardReader(f"{tmp_path / 'a'},{tmp_path / 'b'}", schemas.DOCUMENTS, ledger)
    docs = list(reader.run(rank=0, world_size=1))
    assert [d.id for d in docs] == ["doc-0", "doc-1", "doc-2"]
    assert docs[0].text == "text 0" and docs[0].metadata[schemas.PAGE_ENDS] == [6]
    assert ledger.docs_in == 3


def test_reader_refuses_shards_of_the_wrong_dataset(tmp_path):
    write(tmp_path, [doc(0)])
    reader = ShardReader(str(tmp_path), schemas.ROUTED_PDFS, ShardLedger("next", 0))
    with pytest.raises(ValueError, match="missing columns"):
        list(reader.run(rank=0, world_size=1))
