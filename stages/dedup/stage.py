"""Deduplicate per language: exact copies (whitespace-stripped text), then MinHash near duplicates with
datatrove's four steps, each its own step here (on Slurm, its own job array):

    signatures  OUTPUT/_minhash/signatures/<lang>/...   MinHash signatures + exact-text hashes (--tasks)
    buckets     OUTPUT/_minhash/buckets/<lang>/...      duplicate pairs per bucket (num_buckets tasks)
    cluster     OUTPUT/_minhash/clusters/<lang>/...     clusters, ids and sizes, exact copies labelled (1 task)
    drop-duplicates  OUTPUT/<lang>/<rank>.parquet       DEDUPED_DOCUMENTS; drops/, errors/, ledger/ (--tasks)

Reads the filter stage's output (partitioned by FinePDFs subset: each language, and each ``<lang>_removed``
subset of documents under their language's threshold, is deduplicated on its own, as FinePDFs keeps them
apart). Removed duplicates are counted drops
(exact_text_duplicate, minhash_duplicate); kept documents carry minhash_cluster_id and minhash_cluster_size.
signatures and drop-duplicates use the same --tasks: task r of both sees the filter stage's shard r of every
language.
"""

from __future__ import annotations


def minhash_folder(dedup_output: str, step: str) -> str:
    """Where an intermediate step writes, under the stage's output (the registry's step output)."""
    from shared import registry

    return registry.get("dedup").step(step).output_uri(dedup_output)


def build(run):
    from stages.dedup import steps

    settings = run.settings
    minhash = steps.minhash_config(num_buckets=settings["num_buckets"],
                                   hashes_per_bucket=settings["hashes_per_bucket"], n_grams=settings["n_grams"])
    from textkit.languages import normalize_code

    languages = [normalize_code(code) for code in settings["languages"]] or None
    name = run.step.name
    if name == "signatures":
        return [steps.MinhashSignatures(run.input, run.output, minhash, languages)]
    if name == "buckets":
        return [steps.MinhashBuckets(run.input, run.output, minhash, languages)]
    if name == "cluster":
        signatures = minhash_folder(run.stage_output, "signatures")
        return [steps.MinhashClusters(run.input, run.output, signatures, minhash, languages)]
    clusters = minhash_folder(run.stage_output, "cluster")
    return [
        steps.LanguageShardReader(run.input, run.reader().schema, run.ledger, languages),
        steps.MinhashFilter(clusters),
        run.writer(),
    ]
