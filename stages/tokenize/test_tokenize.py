"""The tokenize stage: token counts from the packaged Qwen tokenizer, final dataset per language."""

import json

import pytest
from datatrove.data import Document

from shared import schemas
from shared.ledger import ShardLedger
from shared.shards import ShardWriter, read_dataset
from stages.cli import run_stage
from stages.tokenize.steps import resolve_tokenizer


def run(input: str, output: str, **settings) -> int:
    return run_stage("tokenize", input=input, output=output, **settings)


def document(doc_id: str, text: str, language: str) -> Document:
    return Document(text=text, id=doc_id, metadata={
        schemas.SHA256: "0" * 64, schemas.SIZE_BYTES: 1, schemas.SOURCE_KIND: "file", schemas.IS_TRUNCATED: False,
        schemas.NUM_PAGES: 1, schemas.PAGE_ENDS: [len(text)], schemas.EXTRACTOR: "test", schemas.LANGUAGE: language,
        schemas.SUBSET: language, schemas.MINHASH_CLUSTER_ID: -1, schemas.MINHASH_CLUSTER_SIZE: 1,
    })


def write_deduped(folder, docs):
    ledger = ShardLedger("dedup", 0)
    ledger.docs_in = len(docs)
    writer = ShardWriter(str(folder), schemas.DEDUPED_DOCUMENTS, "dedup", ledger, partition_by=schemas.SUBSET)
    list(writer.run(iter(docs), rank=0, world_size=1))


def test_token_counts_and_the_final_dataset_per_language(tmp_path):
    write_deduped(tmp_path / "dedup", [
        document("en", "Hello world", "en"),
        document("fr", "Bonjour le monde, comment ça va ?", "fr"),
        document("empty", "", "en"),
    ])
    assert run(str(tmp_path / "dedup"), str(tmp_path / "final")) == 0
    rows = {r[schemas.ID]: r for r in read_dataset(tmp_path / "final").to_pylist()}
    assert rows["en"][schemas.TOKEN_COUNT] == 2  # "Hello", " world" in Qwen's byte-level BPE
    assert rows["empty"][schemas.TOKEN_COUNT] == 0
    from tokenizers import Tokenizer

    qwen = Tokenizer.from_file(str(resolve_tokenizer("qwen")))
    assert rows["fr"][schemas.TOKEN_COUNT] == len(qwen.encode("Bonjour le monde, comment ça va ?").ids)
    assert list((tmp_path / "final" / "fr").glob("[0-9]*.parquet"))
    assert set(schemas.FINAL_DOCUMENTS.names) <= set(rows["en"])


def test_tokenized_shards_hold_every_token_plus_one_eos_per_document(tmp_path):
    write_deduped(tmp_path / "dedup", [document(f"d{i}", "word " * (i + 1), "en") for i in range(5)])
    assert run(str(tmp_path / "dedup"), str(tmp_path / "final"), tokenized_output=str(tmp_path / "tokens")) == 0
    counts = read_dataset(tmp_path / "final" / "en").column(schemas.TOKEN_COUNT).to_pylist()
    (index,) = (tmp_path / "tokens").glob("*.ds")
    token_bytes = 4  # datatrove stores Qwen's ids (vocabulary > 65,535) as uint32
    assert index.stat().st_size == (sum(counts) + len(counts)) * token_bytes
    ledger = json.loads((tmp_path / "final" / "__stage" / "ledger" / "00000.json").read_text())
    assert ledger["docs_out"] == 5 and ledger["balanced"]


def test_a_missing_tokenizer_file_names_what_to_do(tmp_path):
    with pytest.raises(FileNotFoundError, match="tokenizer.json"):
        resolve_tokenizer(str(tmp_path / "nope.json"))


def test_the_final_dataset_folder_holds_only_data_and_loads_with_datasets(tmp_path, monkeypatch):
    """OUT/tokenize is what `datasets` loads as is: its ledger, drops, errors and datatrove logs are in __stage/."""
    import datasets

    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    write_deduped(tmp_path / "dedup", [document("en", "Hello world", "eng_Latn"),
                                       document("fr", "Bonjour le monde", "fra_Latn")])
    assert run(str(tmp_path / "dedup"), str(tmp_path / "final")) == 0
    final = tmp_path / "final"
    assert sorted(str(p.relative_to(final)) for p in final.rglob("*") if p.is_file()
                  and "__stage" not in p.parts) == ["eng_Latn/00000.parquet", "fra_Latn/00000.parquet"]
    assert (final / "__stage" / "ledger" / "00000.json").is_file()
    assert (final / "__stage" / "_logs" / "completions" / "00000").is_file()
    loaded = datasets.load_dataset("parquet", data_dir=str(final), cache_dir=str(tmp_path / "hf-cache"))
    assert sorted(loaded["train"][schemas.ID]) == ["en", "fr"]
    assert run(str(tmp_path / "dedup"), str(tmp_path / "final")) == 0  # a rerun: complete, nothing redone
