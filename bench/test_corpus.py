"""The benchmark corpus is the same bytes everywhere, holds every kind of work, and its truth is the PDFs' text."""

import hashlib
from collections import Counter

import pymupdf

from bench.corpus import make_corpus, make_part, plan_part, truth
from bench.run import similarity


def test_plan_is_deterministic_and_mixes_every_kind_and_language():
    plan = plan_part("a", 300, seed=7)
    assert [(p.name, p.kind, p.pages) for p in plan] == [(p.name, p.kind, p.pages) for p in plan_part("a", 300, 7)]
    assert plan_part("b", 300, 7)[0].pages != plan[0].pages  # parts differ
    kinds = Counter(p.kind for p in plan)
    assert set(kinds) == {"text", "scanned", "mixed", "near_dup", "exact_dup", "broken"}
    assert kinds["text"] > 0.7 * len(plan)
    assert set(p.language for p in plan if p.kind == "text") == {"en", "fr", "de", "es", "ru"}


def test_parts_are_byte_identical_across_runs_and_cached(tmp_path):
    first = make_part(tmp_path / "one", "a", 14, seed=3)
    second = make_part(tmp_path / "two", "a", 14, seed=3)
    assert {k: v["sha256"] for k, v in first["files"].items()} == {k: v["sha256"] for k, v in second["files"].items()}
    for name, entry in first["files"].items():
        assert hashlib.sha256((tmp_path / "one" / name).read_bytes()).hexdigest() == entry["sha256"]
    mtime = (tmp_path / "one" / "a" / "00000.pdf").stat().st_mtime_ns
    make_part(tmp_path / "one", "a", 14, seed=3)
    assert (tmp_path / "one" / "a" / "00000.pdf").stat().st_mtime_ns == mtime


def test_truth_is_the_text_layer_and_duplicates_are_what_they_say(tmp_path):
    folders = make_corpus(tmp_path, 30, seed=11)
    assert {p.name for p in folders["x2"].iterdir()} == {"samples", "a", "b"}
    files = truth(tmp_path)
    checked = 0
    for name, entry in files.items():
        path = folders["x2"] / name
        if entry["kind"] == "text":
            with pymupdf.open(path) as doc:
                text = "\n\n".join(page.get_text() for page in doc)
            assert similarity(text, "\n\n".join(entry["pages"])) > 0.97, name
            checked += 1
        elif entry["kind"] == "exact_dup":
            assert path.read_bytes() == (folders["x2"] / entry["source"]).read_bytes()
        elif entry["kind"] == "near_dup":
            source = "\n\n".join(files[entry["source"]]["pages"])
            assert 0.9 < similarity("\n\n".join(entry["pages"]), source) < 1.0
        elif entry["kind"] == "scanned":
            with pymupdf.open(path) as doc:
                assert all(not page.get_text().strip() and page.get_images() for page in doc)
    assert checked >= 20
