"""`finepdfs release OUT DEST`: a Hugging Face dataset folder that FinePDFs' loading code reads with the path changed,
checked with the real `datasets` library (offline) and pyarrow; the run folder's final dataset loads as it is."""

import pyarrow.dataset as pads
import pytest
import yaml
from datatrove.data import Document

from shared import schemas
from shared.ledger import ShardLedger
from shared.shards import ShardWriter, read_dataset
from stages.cli import invoke

FINEPDFS_COLUMNS = ["text", "id", "dump", "url", "date", "file_path", "offset", "token_count", "language",
                    "page_average_lid", "page_average_lid_score", "full_doc_lid", "full_doc_lid_score",
                    "per_page_languages", "is_truncated", "extractor", "page_ends"]  # HuggingFaceFW/finepdfs


@pytest.fixture
def offline(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "hf-cache"))
    return tmp_path / "hf-cache"


def card_header(dest) -> dict:
    text = (dest / "README.md").read_text()
    return yaml.safe_load(text.split("---\n")[1])


def test_final_schema_has_every_finepdfs_column_with_their_types_in_the_release():
    assert set(FINEPDFS_COLUMNS) <= set(schemas.FINAL_DOCUMENTS.names)
    assert [name for name, _ in schemas.FINEPDFS_COLUMNS] == FINEPDFS_COLUMNS


def test_release_of_the_sample_run_loads_with_datasets_and_pyarrow(sample_run, tmp_path, offline):
    import datasets

    dest = tmp_path / "release"
    assert invoke("release", str(sample_run), str(dest)) == 0
    final = read_dataset(sample_run / "tokenize").to_pylist()
    by_subset: dict[str, list] = {}
    for row in final:
        by_subset.setdefault(row[schemas.SUBSET], []).append(row)

    header = card_header(dest)
    assert sorted(c["config_name"] for c in header["configs"]) == sorted(by_subset)
    english = datasets.load_dataset(str(dest), "eng_Latn", split="train", cache_dir=str(offline))
    assert sorted(english["id"]) == sorted(r[schemas.ID] for r in by_subset["eng_Latn"])
    assert english.column_names[:len(FINEPDFS_COLUMNS)] == FINEPDFS_COLUMNS
    assert english.features["page_average_lid_score"].dtype == "float64"
    assert english.features["offset"].dtype == "int64"
    truth = {r[schemas.ID]: r for r in by_subset["eng_Latn"]}
    for row in english:
        assert row["text"] == truth[row["id"]][schemas.TEXT]
        assert row["page_ends"] == truth[row["id"]][schemas.PAGE_ENDS] and row["token_count"] > 0

    table = pads.dataset(dest / "data", format="parquet").to_table()
    assert table.num_rows == len(final)
    card = (dest / "README.md").read_text()
    tokens = sum(r[schemas.TOKEN_COUNT] for r in by_subset["eng_Latn"])
    assert f"| `eng_Latn` | English (Latin) | {len(by_subset['eng_Latn']):,} | {tokens:,} | 1 |" in card

    # the run folder itself: OUT/tokenize holds nothing but data (its ledger and logs are in __stage/)
    run = datasets.load_dataset("parquet", data_dir=str(sample_run / "tokenize"), split="train",
                                cache_dir=str(offline))
    assert sorted(run["id"]) == sorted(r[schemas.ID] for r in final)
    assert invoke("release", str(sample_run), str(dest)) == 2  # not over a release without --overwrite


def final_document(doc_id: str, text: str, subset: str) -> Document:
    language = subset.removesuffix("_removed")
    return Document(text=text, id=doc_id, metadata={
        schemas.SHA256: "0" * 64, schemas.SIZE_BYTES: 1, schemas.SOURCE_KIND: "file", schemas.IS_TRUNCATED: False,
        schemas.NUM_PAGES: 1, schemas.PAGE_ENDS: [len(text)], schemas.EXTRACTOR: "test", schemas.LANGUAGE: language,
        schemas.SUBSET: subset, schemas.PAGE_AVERAGE_LID_SCORE: 0.3, schemas.TOKEN_COUNT: len(text.split()),
    })


def write_final_run(run, docs: list[Document]):
    """A run folder whose final dataset (tokenize's, partitioned by subset) holds ``docs``."""
    ledger = ShardLedger("tokenize", 0)
    ledger.docs_in = len(docs)
    writer = ShardWriter(str(run / "tokenize" / "__stage"), schemas.FINAL_DOCUMENTS, "tokenize", ledger,
                         partition_by=schemas.SUBSET, data_folder=str(run / "tokenize"))
    list(writer.run(iter(docs), rank=0, world_size=1))
    return run


def test_removed_subsets_are_configs_of_their_own(tmp_path, offline):
    import datasets

    run = write_final_run(tmp_path / "run", [final_document("kept", "one two three", "eng_Latn"),
                                             final_document("low", "four five", "eng_Latn_removed")])
    dest = tmp_path / "release"
    assert invoke("release", str(run), str(dest)) == 0
    assert sorted(c["config_name"] for c in card_header(dest)["configs"]) == ["eng_Latn", "eng_Latn_removed"]
    removed = datasets.load_dataset(str(dest), "eng_Latn_removed", split="train", cache_dir=str(offline))
    assert removed["id"] == ["low"] and removed["language"] == ["eng_Latn"] and removed["token_count"] == [2]
    assert "| `eng_Latn_removed` | English (Latin) - removed" in (dest / "README.md").read_text()


def test_release_without_a_final_dataset_is_a_usage_error(tmp_path):
    assert invoke("release", str(tmp_path / "nothing"), str(tmp_path / "dest")) == 2


def test_edu_subset_is_written_beside_the_release_with_its_counts_in_the_cards(tmp_path, offline):
    import datasets

    scores = {"high": 2.5, "edge": 0.5, "low": 0.2, "unscored": None, "removed_high": 3.0}
    docs = [final_document(doc_id, f"text of {doc_id}", "eng_Latn_removed" if doc_id.startswith("removed")
                           else "eng_Latn") for doc_id in scores]
    for doc in docs:
        doc.metadata[schemas.EDU_SCORE] = scores[doc.id]
    run = write_final_run(tmp_path / "run", docs)
    dest = tmp_path / "release"
    assert invoke("release", str(run), str(dest)) == 0
    edu = tmp_path / "release-edu"
    assert [c["config_name"] for c in card_header(edu)["configs"]] == ["eng_Latn"]  # no _removed subsets
    rows = datasets.load_dataset(str(edu), "eng_Latn", split="train", cache_dir=str(offline))
    assert sorted(rows["id"]) == ["edge", "high"]  # FinePDFs-Edu's rule: edu_score >= 0.5
    for card in (dest / "README.md", edu / "README.md"):
        text = card.read_text()
        assert "| `eng_Latn` | 2 |" in text and "1 documents of the release have no `edu_score`" in text
    assert invoke("release", str(run), str(tmp_path / "strict"), "--edu-threshold", "3") == 0
    assert not (tmp_path / "strict-edu" / "data").exists()  # no document reaches 3 outside _removed
