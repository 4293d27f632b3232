"""The edu step with a tiny random ModernBERT (tools/tiny_models.py): chunks, scores, nulls without weights."""

import json

import pytest

from shared import schemas
from shared.shards import read_dataset
from stages.filter.edu import CHUNK_SOURCE_CHARS, text_chunks
from stages.filter.test_filter import PROSE, document, run, write_documents


@pytest.fixture(scope="module")
def tiny_models(tmp_path_factory):
    from tools.tiny_models import make_tiny_edu_classifier

    root = tmp_path_factory.mktemp("models")
    make_tiny_edu_classifier(root / "HuggingFaceFW" / "finepdfs_edu_classifier_eng_Latn")
    return root


def test_chunks_are_the_start_and_for_long_texts_the_end(tiny_models):
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tiny_models / "HuggingFaceFW" / "finepdfs_edu_classifier_eng_Latn")
    short = "The quick brown fox jumps over the lazy dog " * 20  # words the tiny tokenizer knows whole
    assert text_chunks(short, tokenizer) == [short.strip().rsplit(" ", 1)[0]]  # the start, its last word dropped
    long = "The quick " + "fox jumps " * (3 * CHUNK_SOURCE_CHARS // 10) + "lazy dog"
    start, end = text_chunks(long, tokenizer)
    assert start.startswith("The quick fox") and end.endswith("fox jumps lazy dog")
    assert len(tokenizer(start, add_special_tokens=False)["input_ids"]) <= 2046


def test_documents_get_the_maximum_chunk_score_and_no_weights_means_null(tiny_models, tmp_path, monkeypatch):
    monkeypatch.setenv("FINEPDFS_MODELS_DIR", str(tiny_models))
    long_english = "\n\n".join(PROSE * 60)  # over 20,000 characters: two chunks
    french = ("Le conseil municipal a décidé de rénover la bibliothèque du village et d'agrandir la salle de "
              "lecture pour accueillir les écoliers le mercredi après-midi. ") * 5
    write_documents(tmp_path / "docs", [document("en", ["\n\n".join(PROSE)]), document("long", [long_english]),
                                        document("fr", [french])])
    assert run(str(tmp_path / "docs"), str(tmp_path / "filter")) == 0
    rows = {r[schemas.ID]: r for r in read_dataset(tmp_path / "filter").to_pylist()}
    assert len(rows["en"][schemas.EDU_CHUNK_SCORES]) == 1 and len(rows["long"][schemas.EDU_CHUNK_SCORES]) == 2
    for doc_id in ("en", "long"):
        assert rows[doc_id][schemas.EDU_SCORE] == pytest.approx(max(rows[doc_id][schemas.EDU_CHUNK_SCORES]))
        assert rows[doc_id][schemas.EDU_MODEL] == "HuggingFaceFW/finepdfs_edu_classifier_eng_Latn"
    assert rows["fr"][schemas.EDU_SCORE] is None and rows["fr"][schemas.EDU_MODEL] is None  # no fra_Latn weights
    stats = json.loads((tmp_path / "filter" / "_logs" / "stats.json").read_text())
    edu = next(s for s in stats if s["name"].endswith("Edu score"))
    counts = {k: v["total"] if isinstance(v, dict) else v for k, v in edu["stats"].items()}
    assert counts["edu_scored"] == 2 and counts["edu_no_weights/fra_Latn"] == 1


def test_missing_weights_are_null_scores_or_with_required_a_usage_error(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("FINEPDFS_MODELS_DIR", str(tmp_path / "no-models"))
    write_documents(tmp_path / "docs", [document("en", ["\n\n".join(PROSE)])])
    assert run(str(tmp_path / "docs"), str(tmp_path / "filter")) == 0
    row = read_dataset(tmp_path / "filter").to_pylist()[0]
    assert row[schemas.EDU_SCORE] is None
    assert run(str(tmp_path / "docs"), str(tmp_path / "filter-required"), {"edu": "required"}) == 2
    message = capsys.readouterr().err
    assert "finepdfs_edu_classifier_eng_Latn" in message and "scripts.models fetch --edu eng_Latn" in message
