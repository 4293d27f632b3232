"""Dedup throughput: our dedup stage against datatrove's four MinHash steps run bare, on the same corpus.

    .venv/bin/python -m bench.dedup [--docs 2000] [--shards 2] [--workers 1] [--repeats 2]

Both sides run in this process with datatrove's LocalPipelineExecutor, the same MinHash parameters and word
tokenizer, over the same Parquet shards. "Bare" is datatrove's ParquetReader -> MinhashDedupSignature;
MinhashDedupBuckets; MinhashDedupCluster (ids and sizes saved); ParquetReader -> MinhashDedupFilter (cluster
metadata loaded, removed documents to an exclusion ParquetWriter) -> ParquetWriter. Ours adds the exact-text
hashes and labels, the ledger, drops/errors datasets, completion markers and the per-language plumbing.
Each side runs ``repeats`` times, alternating; the best time of each counts. The ratio uses CPU seconds (this
process and its finished children): on a machine shared with other work, wall time mostly measures the
neighbours. Wall seconds are reported too.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import tempfile
import time
from pathlib import Path

from datatrove.data import Document

VOCABULARY = (
    "the of and to in is was for that with as on by at from this be are or have an which not but had his they "
    "it were their one all been has more when there can no other new some time would what about into than them "
    "only its may after also over most first two could such made these many where then through years people "
    "water city river report season member committee school village market station garden harbour bridge "
    "winter summer morning evening council farmer teacher engineer doctor library museum hospital theatre "
    "measure increase decrease production account project building network system method result analysis "
    "quickly slowly carefully usually rarely almost nearly already still again together finally however"
).split()


def synthetic_text(rng: random.Random, words: int) -> str:
    sentences, n = [], 0
    while n < words:
        length = rng.randint(8, 20)
        sentence = " ".join(rng.choice(VOCABULARY) for _ in range(length))
        sentences.append(sentence.capitalize() + rng.choice(".. .;,!?")[0])
        n += length
    paragraphs = [" ".join(sentences[i : i + 5]) for i in range(0, len(sentences), 5)]
    return "\n\n".join(paragraphs)


def synthetic_corpus(
    folder: str | Path, docs: int = 2000, shards: int = 2, words: int = 400, near: float = 0.1,
    exact: float = 0.05, seed: int = 0, language: str = "en",
) -> dict:
    """Write the filter stage's output shape (``<lang>/<rank>.parquet``): distinct documents plus near duplicates
    (a few words edited) and exact copies, spread over the shards."""
    from shared import schemas
    from shared.ledger import ShardLedger
    from shared.shards import ShardWriter

    rng = random.Random(seed)
    texts: list[str] = []
    kinds = {"distinct": 0, "near": 0, "exact": 0}
    for _ in range(docs):
        roll = rng.random()
        if texts and roll < exact:
            texts.append(rng.choice(texts))
            kinds["exact"] += 1
        elif texts and roll < exact + near:
            tokens = rng.choice(texts).split(" ")
            for i in rng.sample(range(len(tokens)), 4):
                tokens[i] = rng.choice(VOCABULARY)
            texts.append(" ".join(tokens))
            kinds["near"] += 1
        else:
            texts.append(synthetic_text(rng, words))
            kinds["distinct"] += 1
    per_shard: list[list[Document]] = [[] for _ in range(shards)]
    for i, text in enumerate(texts):
        per_shard[rng.randrange(shards)].append(Document(text=text, id=f"doc-{i:06d}", metadata={
            schemas.SHA256: f"{i:064x}", schemas.SIZE_BYTES: len(text), schemas.SOURCE_KIND: "file",
            schemas.IS_TRUNCATED: False, schemas.NUM_PAGES: 1, schemas.PAGE_ENDS: [len(text)],
            schemas.EXTRACTOR: "bench", schemas.LANGUAGE: language, schemas.SUBSET: language,
            schemas.FULL_DOC_LID: language,
            schemas.PER_PAGE_LANGUAGES: [language],
        }))
    for rank, shard_docs in enumerate(per_shard):
        ledger = ShardLedger("bench", rank)
        ledger.docs_in = len(shard_docs)
        writer = ShardWriter(str(folder), schemas.FILTERED_DOCUMENTS, "bench", ledger, partition_by=schemas.SUBSET)
        for _ in writer.run(iter(shard_docs), rank=rank, world_size=shards):
            pass
    return kinds


class Timer:
    """Wall and CPU seconds (user + system, this process and the children it waited for) of a block."""

    def __enter__(self):
        self.wall, self.cpu = time.perf_counter(), self._cpu()
        return self

    def __exit__(self, *exc) -> None:
        self.wall, self.cpu = time.perf_counter() - self.wall, self._cpu() - self.cpu

    @staticmethod
    def _cpu() -> float:
        own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def run_ours(input_folder: str, output: str, minhash, workers: int = 1) -> Timer:
    from stages.cli import run_stage
    from stages.dedup.steps import LanguagePlan

    tasks = LanguagePlan(input_folder).default_tasks()  # one per filter shard, as the bare run has
    with Timer() as timer:
        code = run_stage("dedup", input=input_folder, output=output, tasks=tasks, workers=workers,
                         num_buckets=minhash.num_buckets, hashes_per_bucket=minhash.hashes_per_bucket,
                         n_grams=minhash.n_grams)
    if code:
        raise RuntimeError(f"our dedup stage failed (exit code {code})")
    return timer


def run_bare(input_folder: str, output: str, minhash, shards: int, workers: int = 1, language: str = "en") -> Timer:
    from datatrove.executor import LocalPipelineExecutor
    from datatrove.pipeline.dedup.minhash import (
        MinhashDedupBuckets,
        MinhashDedupCluster,
        MinhashDedupFilter,
        MinhashDedupSignature,
    )
    from datatrove.pipeline.readers import ParquetReader
    from datatrove.pipeline.writers import ParquetWriter

    from textkit.languages import word_tokenizer

    data = f"{input_folder}/{language}"
    tokenizer = word_tokenizer(language)

    def reader():
        return ParquetReader(data, glob_pattern="[0-9]*.parquet", doc_progress=False)

    steps = [
        ([reader(), MinhashDedupSignature(f"{output}/signatures", config=minhash, language=tokenizer)], shards),
        ([MinhashDedupBuckets(f"{output}/signatures", f"{output}/buckets", config=minhash)], minhash.num_buckets),
        ([MinhashDedupCluster(f"{output}/buckets", f"{output}/clusters", config=minhash, save_cluster_id=True,
                              save_cluster_size=True)], 1),
        ([reader(),
          MinhashDedupFilter(f"{output}/clusters", exclusion_writer=ParquetWriter(f"{output}/removed"),
                             load_cluster_ids=True, load_cluster_sizes=True),
          ParquetWriter(f"{output}/deduped")], shards),
    ]
    with Timer() as timer:
        for i, (pipeline, tasks) in enumerate(steps):
            LocalPipelineExecutor(pipeline=pipeline, tasks=tasks, workers=min(workers, tasks),
                                  logging_dir=f"{output}/_logs/{i}").run()
    return timer


def bench(docs: int = 2000, shards: int = 2, workers: int = 1, repeats: int = 2, workdir: str | None = None) -> dict:
    """Time both sides on one generated corpus; returns docs/s of each and our overhead over bare."""
    from stages.dedup.steps import minhash_config

    minhash = minhash_config()  # FinePDFs' 32 buckets x 10 hashes, 5-grams
    root = Path(workdir or tempfile.mkdtemp(prefix="finepdfs-dedup-bench-"))
    try:
        kinds = synthetic_corpus(root / "filter", docs=docs, shards=shards)
        from textkit.languages import word_tokenizer

        word_tokenizer("en").word_tokenize("warm up")  # load spaCy once, outside both timings
        ours, bare = [], []
        for i in range(repeats):
            bare.append(run_bare(str(root / "filter"), str(root / f"bare-{i}"), minhash, shards, workers))
            ours.append(run_ours(str(root / "filter"), str(root / f"ours-{i}"), minhash, workers))
        from shared.shards import read_dataset

        kept_ours = read_dataset(root / f"ours-{repeats - 1}").num_rows
        kept_bare = read_dataset(root / f"bare-{repeats - 1}" / "deduped").num_rows
    finally:
        if workdir is None:
            shutil.rmtree(root, ignore_errors=True)
    best_ours, best_bare = min(t.cpu for t in ours), min(t.cpu for t in bare)
    return {
        "docs": docs, "shards": shards, "workers": workers, "corpus": kinds,
        "kept_ours": kept_ours, "kept_bare": kept_bare,
        "cpu_seconds_ours": [round(t.cpu, 2) for t in ours], "cpu_seconds_bare": [round(t.cpu, 2) for t in bare],
        "wall_seconds_ours": [round(t.wall, 2) for t in ours], "wall_seconds_bare": [round(t.wall, 2) for t in bare],
        "docs_per_cpu_s_ours": round(docs / best_ours, 1), "docs_per_cpu_s_bare": round(docs / best_bare, 1),
        "overhead": round(best_ours / best_bare - 1, 4),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=2000)
    parser.add_argument("--shards", type=int, default=2)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--max-overhead", type=float, default=0.20, help="exit 1 above this overhead")
    args = parser.parse_args(argv)
    result = bench(args.docs, args.shards, args.workers, args.repeats)
    print(json.dumps(result, indent=1))
    if result["overhead"] > args.max_overhead:
        raise SystemExit(f"dedup overhead {result['overhead']:.1%} exceeds {args.max_overhead:.0%}")


if __name__ == "__main__":
    main()
