"""The dedup stage: near duplicates share a MinHash cluster, exact copies go once, every removal is counted."""

import json
import random
from pathlib import Path

import pytest
from datatrove.data import Document

from shared import schemas
from shared.ledger import ShardLedger
from shared.shards import ShardWriter, read_dataset
from stages.cli import invoke, run_stage
from stages.dedup.stage import minhash_folder
from textkit.languages import subset_language
from textkit.pages import join_pages


def run(input: str, output: str, **settings) -> int:
    return run_stage("dedup", input=input, output=output, **settings)

GROUND_TRUTH = Path(__file__).resolve().parents[2] / "samples" / "ground_truth.json"
WORDS = ("river mill bread stone window garden market letter winter harbour bridge lantern meadow kettle "
         "orchard ladder candle copper shadow thunder pepper violin saddle island canyon forest silver").split()


def prose(seed: int, n: int = 300) -> str:
    rng = random.Random(seed)
    return " ".join(f"{rng.choice(WORDS)}{rng.randint(0, 99)}" for _ in range(n))


def edited(text: str, edits: int = 5, seed: int = 0) -> str:
    """The same text with a few words changed (a re-saved, lightly corrected copy)."""
    rng = random.Random(seed)
    words = text.split()
    for i in rng.sample(range(len(words)), edits):
        words[i] = "CHANGED"
    return " ".join(words)


def document(doc_id: str, text: str, language: str = "en") -> Document:
    return Document(text=text, id=doc_id, metadata={
        schemas.SHA256: "0" * 64, schemas.SIZE_BYTES: 1, schemas.SOURCE_KIND: "file", schemas.IS_TRUNCATED: False,
        schemas.NUM_PAGES: 1, schemas.PAGE_ENDS: [len(text)], schemas.EXTRACTOR: "test",
        schemas.LANGUAGE: subset_language(language), schemas.SUBSET: language, schemas.FILE_PATH: f"{doc_id}.pdf",
    })


def write_filtered(folder: Path, shards: list[list[Document]]) -> None:
    """The filter stage's output: shard r of each language in <lang>/<r>.parquet."""
    for rank, docs in enumerate(shards):
        ledger = ShardLedger("filter", rank)
        ledger.docs_in = len(docs)
        writer = ShardWriter(str(folder), schemas.FILTERED_DOCUMENTS, "filter", ledger, partition_by=schemas.SUBSET)
        list(writer.run(iter(docs), rank=rank, world_size=len(shards)))


def corpus() -> list[list[Document]]:
    a, b, c, d, f = prose(1), prose(2), prose(3), prose(4), prose(5)
    return [
        [
            document("a", a),
            document("a-near", edited(a, seed=1)),
            document("b", b),
            document("short", "see you soon"),
            document("f", f, "fr"),
        ],
        [
            document("a-copy", a),  # exact copy of a, in another shard
            document("a-near-2", edited(a, seed=2)),
            document("b-spaced", "  \n".join(b.split(" "))),  # b with other whitespace: an exact copy
            document("c", c),
            document("d", d),
            document("short-copy", "see  you\nsoon"),
            document("f-copy", f, "fr"),
        ],
    ]


def outcome(out: Path) -> tuple[dict, dict]:
    kept = {r[schemas.ID]: r for r in read_dataset(out).to_pylist()}
    drops = {r[schemas.ID]: r[schemas.DROP_REASON] for r in read_dataset(out / "drops").to_pylist()}
    return kept, drops


def test_near_duplicates_cluster_exact_copies_go_once_and_distinct_documents_stay(tmp_path):
    write_filtered(tmp_path / "filter", corpus())
    assert run(str(tmp_path / "filter"), str(tmp_path / "dedup")) == 0
    kept, drops = outcome(tmp_path / "dedup")

    assert sorted(kept) == ["a", "b", "c", "d", "f", "short"]
    assert drops == {
        "a-copy": "exact_text_duplicate", "b-spaced": "exact_text_duplicate", "short-copy": "exact_text_duplicate",
        "f-copy": "exact_text_duplicate", "a-near": "minhash_duplicate", "a-near-2": "minhash_duplicate",
    }
    cluster = schemas.MINHASH_CLUSTER_ID
    assert kept["a"][schemas.MINHASH_CLUSTER_SIZE] == 4  # a, its copy, two near duplicates
    assert kept["b"][schemas.MINHASH_CLUSTER_SIZE] == 2 and kept["f"][schemas.MINHASH_CLUSTER_SIZE] == 2
    assert kept["c"][cluster] == kept["d"][cluster] == -1 and kept["c"][schemas.MINHASH_CLUSTER_SIZE] == 1
    assert kept["a"][cluster] != kept["b"][cluster]
    assert {r[schemas.LANGUAGE] for r in kept.values()} == {"en", "fr"}
    assert (tmp_path / "dedup" / "fr" / "00000.parquet").exists()

    ledgers = [json.loads(p.read_text()) for p in sorted((tmp_path / "dedup" / "ledger").glob("*.json"))]
    assert all(ledger["balanced"] for ledger in ledgers)
    assert sum(ledger["docs_in"] for ledger in ledgers) == 12
    dropped = {}
    for ledger in ledgers:
        for reason, n in ledger["dropped"].items():
            dropped[reason] = dropped.get(reason, 0) + n
    assert dropped == {"exact_text_duplicate": 4, "minhash_duplicate": 2}


def test_lighthouse_samples_are_near_duplicates_and_the_others_are_not(tmp_path):
    if not GROUND_TRUTH.exists():
        pytest.skip(f"{GROUND_TRUTH} absent (regenerate with `just samples`)")
    files = json.loads(GROUND_TRUTH.read_text())["files"]
    docs = [
        document(name, join_pages([p["text"] for p in info["pages"]])[0], info["language"])
        for name, info in files.items()
        if info["pages"] and info["kind"] != "broken" and name != "text/single_page_en_copy.pdf"
    ]
    write_filtered(tmp_path / "filter", [docs])
    assert run(str(tmp_path / "filter"), str(tmp_path / "dedup")) == 0
    kept, drops = outcome(tmp_path / "dedup")
    near = {name for name, info in files.items() if info["near_duplicate_of"]}
    assert near and drops == dict.fromkeys(near, "minhash_duplicate")
    originals = {files[name]["near_duplicate_of"] for name in near}
    assert all(kept[name][schemas.MINHASH_CLUSTER_SIZE] == 2 for name in originals)
    assert all(row[schemas.MINHASH_CLUSTER_SIZE] == 1 for name, row in kept.items() if name not in originals)


def test_steps_one_task_at_a_time_give_the_same_result(tmp_path):
    """What Slurm runs: each step an array, each task its own process call with --rank."""
    write_filtered(tmp_path / "filter", corpus())
    filtered, out = str(tmp_path / "filter"), str(tmp_path / "dedup")
    sigs, buckets = (minhash_folder(out, s) for s in ("signatures", "buckets"))
    common = ["-i", filtered, "-o", out, "--tasks", "2"]
    calls = [
        *(["--step", "signatures", *common, "--rank", str(r)] for r in range(2)),
        *(["--step", "buckets", *common, "--rank", str(r)] for r in range(32)),  # one task per bucket
        ["--step", "cluster", *common, "--rank", "0"],
        *(["--step", "drop-duplicates", *common, "--rank", str(r)] for r in range(2)),
    ]
    for args in calls:
        assert invoke("dedup", *args) == 0, args
    kept, drops = outcome(tmp_path / "dedup")
    assert sorted(kept) == ["a", "b", "c", "d", "f", "short"] and len(drops) == 6
    assert (Path(sigs) / "ledger" / "00001.json").exists() and (Path(buckets) / "ledger" / "00031.json").exists()


def test_filter_refuses_to_run_before_the_cluster_step(tmp_path):
    write_filtered(tmp_path / "filter", corpus())
    out = str(tmp_path / "dedup")
    assert invoke("dedup", "--step", "signatures", "-i", str(tmp_path / "filter"), "-o", out) == 0
    assert invoke("dedup", "--step", "drop-duplicates", "-i", str(tmp_path / "filter"), "-o", out) == 1
    assert not (tmp_path / "dedup" / "ledger").exists()


def test_we_keep_exactly_what_datatrove_bare_keeps(tmp_path):
    """Wrapping (exact labels, ledger, per-language tasks) changes no MinHash decision."""
    from bench.dedup import run_bare, run_ours, synthetic_corpus
    from stages.dedup.steps import minhash_config

    kinds = synthetic_corpus(tmp_path / "filter", docs=150, shards=2, words=120)
    assert kinds["near"] and kinds["exact"]
    run_bare(str(tmp_path / "filter"), str(tmp_path / "bare"), minhash_config(), shards=2)
    run_ours(str(tmp_path / "filter"), str(tmp_path / "ours"), minhash_config())
    bare = set(read_dataset(tmp_path / "bare" / "deduped").column("id").to_pylist())
    kept, drops = outcome(tmp_path / "ours")
    assert set(kept) == bare
    assert sum(r == "exact_text_duplicate" for r in drops.values()) == kinds["exact"]
    assert len(kept) + len(drops) == 150


def test_removed_subsets_are_deduplicated_on_their_own(tmp_path):
    """FinePDFs keeps <lang>_removed apart: a copy in the removed subset does not remove the kept document (nor
    the other way round), copies inside the removed subset go once, and the subset stays a partition."""
    a, b = prose(11), prose(12)
    write_filtered(tmp_path / "filter", [[
        document("a", a, "eng_Latn"),
        document("a-removed", a, "eng_Latn_removed"),
        document("b-removed", b, "eng_Latn_removed"),
        document("b-removed-copy", b, "eng_Latn_removed"),
    ]])
    assert run(str(tmp_path / "filter"), str(tmp_path / "dedup")) == 0
    kept, drops = outcome(tmp_path / "dedup")
    assert sorted(kept) == ["a", "a-removed", "b-removed"]
    assert drops == {"b-removed-copy": "exact_text_duplicate"}
    assert kept["a-removed"][schemas.SUBSET] == "eng_Latn_removed"
    assert kept["a-removed"][schemas.LANGUAGE] == "eng_Latn"
    assert sorted(p.parent.name for p in (tmp_path / "dedup").glob("eng*/00000.parquet")) == [
        "eng_Latn", "eng_Latn_removed"]


@pytest.mark.parametrize("tasks", [1, 2, 3])
def test_the_first_copy_in_input_order_stays_whatever_dedups_task_count(tmp_path, tasks):
    """Filter wrote 3 shards (input order 0, 1, 2); b in shard 1 has a near duplicate in shard 2. With 2 dedup
    tasks reading strided shards (0 and 2, then 1) the later copy would stay; contiguous runs keep b."""
    a, b, c = prose(11), prose(12), prose(13)
    write_filtered(tmp_path / "filter", [[document("a", a)], [document("b", b), document("c", c)],
                                         [document("b-near", edited(b, seed=3)), document("a-near", edited(a))]])
    assert run(str(tmp_path / "filter"), str(tmp_path / "dedup"), tasks=tasks) == 0
    kept, drops = outcome(tmp_path / "dedup")
    assert sorted(kept) == ["a", "b", "c"] and drops == {"b-near": "minhash_duplicate", "a-near": "minhash_duplicate"}
