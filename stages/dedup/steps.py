"""dedup: exact dedup of whitespace-stripped text, then datatrove's four MinHash steps, all per language.

The input is the filter stage's output, partitioned by language (``<lang>/<n>.parquet``). Each datatrove MinHash
step is wrapped in a step that runs it once per language, so one array of tasks serves every language:

- ``MinhashSignatures`` (tasks = N): task r reads, for every language, a contiguous run of filter's shards (n * N // filter's tasks == r),
  and runs ``MinhashDedupSignature`` on them (rank r of N). In the same pass it records a 64-bit hash of each
  document's whitespace-stripped text (``<lang>/exact/<r>.hashes``).
- ``MinhashBuckets`` (any number of tasks): ``MinhashDedupBuckets`` for each language, bucket by bucket.
- ``MinhashClusters`` (1 task, or one per group of languages): ``MinhashDedupCluster`` (cluster ids and sizes
  saved), then ``label_exact_duplicates``.
- ``MinhashFilter`` (tasks = N, same as signatures): ``MinhashDedupFilter`` per language; what it removes is
  marked dropped (never removed) so that the stage's ShardWriter counts it.

Exact duplicates are found without a pass of their own: identical texts have identical MinHash signatures, so
they always land in one cluster. The cluster step looks at the exact-text hashes and says which removals are
exact copies (``exact_text_duplicate``) and which are near duplicates (``minhash_duplicate``), with the counts
an exact-then-MinHash pipeline gives: per group of identical texts, every copy but one is exact; a group that
loses to another group in its cluster adds one near duplicate. Texts too short to have a 5-gram get no
signature; their exact copies are still removed.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator

import numpy as np
from datatrove.data import Document, DocumentsPipeline
from datatrove.io import DataFolderLike, get_datafolder
from datatrove.pipeline.base import PipelineStep
from datatrove.pipeline.dedup.minhash import (
    MinhashConfig,
    MinhashDedupBuckets,
    MinhashDedupCluster,
    MinhashDedupFilter,
    MinhashDedupSignature,
)
from datatrove.utils.hashing import HashConfig, create_hash_func

from shared import schemas
from shared.ledger import LEDGER_DIR, ShardLedger, is_live, ledger_filename, mark_dropped
from shared.shards import RESERVED_DIRS, SHARD_GLOB, ShardReader
from textkit.languages import word_tokenizer

STAGE = "dedup"
EXACT_DUPLICATE = "exact_text_duplicate"
MINHASH_DUPLICATE = "minhash_duplicate"

EXACT_DIR = "exact"
HASH_DTYPE = np.dtype([("hash", "<u8"), ("doc", "<u4")])
_LANGUAGE_KEY = "__dedup_language"  # the partition a document was read from (not a column)
_INDEX_KEY = "__dedup_index"
_exact_hash = create_hash_func(HashConfig(precision=64, hash_fc="xxhash"))


def progress(items: list, desc: str, unit: str):
    """A bar in a terminal (these steps read no shards of their own, so ShardReader's bar does not show them)."""
    import sys

    from tqdm import tqdm

    return tqdm(items, desc=desc, unit=unit, disable=not sys.stderr.isatty(), dynamic_ncols=True)


def minhash_config(num_buckets: int = 32, hashes_per_bucket: int = 10, n_grams: int = 5) -> MinhashConfig:
    """FinePDFs' parameters by default: 32 buckets of 10 hashes over word 5-grams."""
    return MinhashConfig(n_grams=n_grams, num_buckets=num_buckets, hashes_per_bucket=hashes_per_bucket)


def exact_hash(text: str) -> int:
    """64-bit hash of the text with every whitespace character removed."""
    return _exact_hash("".join(text.split()))


def language_folders(folder: DataFolderLike) -> list[str]:
    """The partitions (languages) of a dataset or of an intermediate MinHash folder, sorted."""
    folder = get_datafolder(folder)
    if not folder.isdir(""):
        return []
    names = [p.rstrip("/").rsplit("/", 1)[-1] for p in folder.ls("", detail=False)]
    return sorted(n for n in names if n not in RESERVED_DIRS and not n.startswith((".", "_")) and folder.isdir(n))


class LanguagePlan:
    """Which shards of a language-partitioned dataset each task reads.

    Shard ``<lang>/<n>.parquet`` belongs to task ``n * tasks // filter's tasks`` (contiguous runs): the filter
    stage's rank r wrote shard r of every language, so with the same number of tasks, task r of every dedup step
    sees exactly filter's rank r.
    """

    def __init__(self, input_folder: DataFolderLike, languages: list[str] | None = None):
        self.folder = get_datafolder(input_folder)
        self.only = set(languages or [])
        self._shards: dict[str, list[tuple[int, str]]] | None = None

    @property
    def shards(self) -> dict[str, list[tuple[int, str]]]:
        if self._shards is None:
            self._shards = {}
            for lang in language_folders(self.folder):
                if self.only and lang not in self.only:
                    continue
                found = sorted(self.folder.list_files(lang, glob_pattern=SHARD_GLOB))
                numbered = [(int(p.rsplit("/", 1)[-1].split(".")[0]), p) for p in found]
                if numbered:
                    self._shards[lang] = sorted(numbered)
        return self._shards

    @property
    def languages(self) -> list[str]:
        return sorted(self.shards)

    def default_tasks(self) -> int:
        """One task per filter rank: the highest shard number + 1."""
        return 1 + max((n for shards in self.shards.values() for n, _ in shards), default=0)

    def shards_for(self, language: str, rank: int, world_size: int) -> list[str]:
        """A contiguous run of filter's ranks (all of them: rank r alone with as many tasks as filter had), so that
        datatrove's (task, row) order, which decides the copy of a cluster that stays, is input order."""
        ranks = self.default_tasks()
        return [self.folder.resolve_paths(p) for n, p in self.shards.get(language, [])
                if n * world_size // ranks == rank]


def _read(paths: list[str], schema=schemas.FILTERED_DOCUMENTS) -> Iterator[Document]:
    """Documents of these shards, in order (a reader whose counts nobody needs)."""
    if paths:
        yield from ShardReader(paths[0], schema, ShardLedger(STAGE, 0)).read_files_shard(paths)


def _record_exact_hashes(docs: Iterator[Document], into: list[tuple[int, int]]) -> Iterator[Document]:
    """Pass documents on, noting (exact-text hash, index) of each: the index MinHash uses for it too."""
    for i, doc in enumerate(docs):
        into.append((exact_hash(doc.text), i))
        yield doc


def absorb_stats(wrapper: PipelineStep, inner: PipelineStep) -> None:
    """Count a wrapped datatrove step's stats and time as the wrapper's own (the executor only sees ours)."""
    wrapper.stats.stats = wrapper.stats.stats + inner.stats.stats
    wrapper.stats.time_stats = wrapper.stats.time_stats + inner.stats.time_stats


def write_json(folder: DataFolderLike, path: str, data: dict) -> None:
    """Write small JSON atomically (temporary name, then rename)."""
    folder = get_datafolder(folder)
    if "/" in path:
        folder.makedirs(path.rsplit("/", 1)[0], exist_ok=True)
    tmp = f"{path}.tmp"
    with folder.open(tmp, "wt") as f:
        json.dump(data, f, indent=1, sort_keys=True)
    folder.fs.mv(folder.resolve_paths(tmp), folder.resolve_paths(path))


def read_markers(folder: DataFolderLike) -> list[dict]:
    folder = get_datafolder(folder)
    if not folder.isdir(LEDGER_DIR):
        return []
    markers = []
    for path in sorted(folder.list_files(LEDGER_DIR, glob_pattern="*.json")):
        with folder.open(path, "rt") as f:
            markers.append(json.load(f))
    return markers


class _MinhashStep(PipelineStep):
    """Common part of the intermediate steps: a completion marker per task (``ledger/<rank>.json``), the file
    that ``run_stage`` and the Slurm planner both take as "this task is done"."""

    type = "🫂 - DEDUP"
    step = "?"

    def __init__(self, output_folder: DataFolderLike, config: MinhashConfig | None = None):
        super().__init__()
        self.output_folder = get_datafolder(output_folder)
        self.config = config or minhash_config()

    def mark_done(self, rank: int, world_size: int, **info) -> None:
        write_json(self.output_folder, ledger_filename(rank), {
            "stage": f"dedup-{self.step}", "rank": rank, "tasks": world_size, "minhash": str(self.config), **info,
        })


class MinhashSignatures(_MinhashStep):
    """Step 1, per language: datatrove's MinHash signatures, plus the exact-text hash of every document."""

    name = "🎯 MinHash signatures (per language)"
    step = "signatures"

    def __init__(self, input_folder: DataFolderLike, output_folder: DataFolderLike,
                 config: MinhashConfig | None = None, languages: list[str] | None = None):
        super().__init__(output_folder, config)
        self.plan = LanguagePlan(input_folder, languages)

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        counts = {}
        for lang in progress(self.plan.languages, f"dedup signatures task {rank}", "subset"):
            paths = self.plan.shards_for(lang, rank, world_size)
            if not paths:
                continue
            hashes: list[tuple[int, int]] = []
            step = MinhashDedupSignature(
                self.output_folder.resolve_paths(lang), config=self.config, language=word_tokenizer(lang)
            )
            step.run(_record_exact_hashes(_read(paths), hashes), rank, world_size)
            absorb_stats(self, step)
            table = np.sort(np.array(hashes, dtype=HASH_DTYPE), order=["hash", "doc"])
            with self.output_folder.open(f"{lang}/{EXACT_DIR}/{rank:05d}.hashes", "wb") as f:
                f.write(table.tobytes())
            counts[lang] = len(hashes)
            self.stat_update("documents", value=len(hashes))
        self.mark_done(rank, world_size, documents=counts)
        return
        yield


class MinhashBuckets(_MinhashStep):
    """Step 2, per language: datatrove's bucket step. Any number of tasks: with as many tasks as buckets (or a
    multiple), datatrove's own split; otherwise task r does buckets r, r + tasks, ..."""

    name = "🎯 MinHash buckets (per language)"
    step = "buckets"

    def __init__(self, input_folder: DataFolderLike, output_folder: DataFolderLike,
                 config: MinhashConfig | None = None, languages: list[str] | None = None):
        super().__init__(output_folder, config)
        self.input_folder = get_datafolder(input_folder)
        self.languages = languages

    def assignments(self, rank: int, world_size: int) -> list[tuple[int, int]]:
        """(datatrove rank, datatrove world size) pairs this task runs."""
        buckets = self.config.num_buckets
        if world_size % buckets == 0:
            return [(rank, world_size)]
        return [(b, buckets) for b in range(rank, buckets, world_size)]

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        languages = [lang for lang in language_folders(self.input_folder) if not self.languages
                     or lang in self.languages]
        for lang in progress(languages, f"dedup buckets task {rank}", "subset"):
            for dt_rank, dt_world in self.assignments(rank, world_size):
                step = MinhashDedupBuckets(
                    self.input_folder.resolve_paths(lang), self.output_folder.resolve_paths(lang), config=self.config
                )
                step.run(None, dt_rank, dt_world)
                absorb_stats(self, step)
        self.mark_done(rank, world_size, languages=languages)
        return
        yield


class MinhashClusters(_MinhashStep):
    """Step 3, per language: datatrove's clustering (ids and sizes saved), then exact-duplicate labels."""

    name = "🎯 MinHash clusters (per language)"
    step = "cluster"

    def __init__(self, input_folder: DataFolderLike, output_folder: DataFolderLike,
                 signatures_folder: DataFolderLike, config: MinhashConfig | None = None,
                 languages: list[str] | None = None):
        super().__init__(output_folder, config)
        self.input_folder = get_datafolder(input_folder)
        self.signatures_folder = get_datafolder(signatures_folder)
        self.languages = languages

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        signature_tasks = {m["tasks"] for m in read_markers(self.signatures_folder)}
        if len(signature_tasks) > 1:
            raise RuntimeError(f"signature markers disagree on the number of tasks: {sorted(signature_tasks)}")
        languages = [lang for lang in language_folders(self.input_folder) if not self.languages
                     or lang in self.languages][rank::world_size]
        summary = {}
        for lang in progress(languages, f"dedup cluster task {rank}", "subset"):
            if self.output_folder.isdir(lang):  # a rerun starts clean: stale .remove files would drop documents
                self.output_folder.rm(lang, recursive=True)
            self.output_folder.makedirs(lang, exist_ok=True)
            step = MinhashDedupCluster(
                self.input_folder.resolve_paths(lang), self.output_folder.resolve_paths(lang), config=self.config,
                save_cluster_id=True, save_cluster_size=True,
            )
            step.run(None, 0, 1)
            absorb_stats(self, step)
            summary[lang] = label_exact_duplicates(
                self.signatures_folder.resolve_paths(f"{lang}/{EXACT_DIR}"), self.output_folder.resolve_paths(lang)
            )
        self.mark_done(rank, world_size, languages=summary,
                       signature_tasks=next(iter(signature_tasks)) if signature_tasks else None)
        return
        yield


def _read_uint32(folder, path: str) -> np.ndarray:
    with folder.open(path, "rb") as f:
        return np.frombuffer(f.read(), dtype="<u4")


def label_exact_duplicates(exact_folder: DataFolderLike, clusters_folder: DataFolderLike) -> dict:
    """Write ``<file>.exact`` (sorted document indices whose removal is an exact copy) next to datatrove's
    ``.remove`` files; make sure every file with exact copies has (possibly empty) .remove/.clusters/.sizes so
    that datatrove's filter loads cluster metadata for it. Returns counts for the completion marker.

    Holds 16 bytes per document of the language in memory (a few hundred MB for tens of millions).
    """
    exact_folder, clusters_folder = get_datafolder(exact_folder), get_datafolder(clusters_folder)
    files = sorted(exact_folder.list_files(glob_pattern="*.hashes")) if exact_folder.isdir("") else []
    parts = []
    for path in files:
        with exact_folder.open(path, "rb") as f:
            table = np.frombuffer(f.read(), dtype=HASH_DTYPE)
        stem = int(path.rsplit("/", 1)[-1].split(".")[0])
        parts.append((table["hash"], np.full(len(table), stem, dtype="<u4"), table["doc"]))
    exact: dict[int, list[int]] = {}
    groups = 0
    if parts:
        hashes = np.concatenate([p[0] for p in parts])
        stems = np.concatenate([p[1] for p in parts])
        docs = np.concatenate([p[2] for p in parts])
        order = np.lexsort((docs, stems, hashes))
        hashes, stems, docs = hashes[order], stems[order], docs[order]
        repeated = np.zeros(len(hashes), dtype=bool)
        repeated[1:] |= hashes[1:] == hashes[:-1]
        repeated[:-1] |= hashes[1:] == hashes[:-1]
        removed = {
            int(p.split(".")[0]): set(_read_uint32(clusters_folder, p).tolist())
            for p in clusters_folder.list_files(glob_pattern="*.remove")
        }
        idx = np.flatnonzero(repeated)
        for _, group in itertools.groupby(idx, key=lambda i: hashes[i]):
            members = [(int(stems[i]), int(docs[i])) for i in group]  # sorted by (file, doc)
            groups += 1
            kept = [m for m in members if m[1] not in removed.get(m[0], ())]
            # the copy datatrove keeps stays; when it removed all of them, the group lost to a near duplicate:
            # its first copy is that near duplicate, the others are exact copies.
            survivor = kept[0] if kept else members[0]
            for stem, doc in members:
                if (stem, doc) != survivor:
                    exact.setdefault(stem, []).append(doc)
    for stem, doc_ids in exact.items():
        with clusters_folder.open(f"{stem:06d}.exact", "wb") as f:
            f.write(np.array(sorted(doc_ids), dtype="<u4").tobytes())
    # datatrove's filter only loads cluster ids and sizes for a file that has a .remove file: a file whose
    # duplicates were all kept (cluster roots) or only exact copies needs an empty one.
    stems = set(exact) | {int(p.split(".")[0]) for p in clusters_folder.list_files(glob_pattern="*.clusters")}
    for stem in stems:
        for suffix in ("remove", "clusters", "sizes"):
            if not clusters_folder.isfile(f"{stem:06d}.{suffix}"):
                with clusters_folder.open(f"{stem:06d}.{suffix}", "wb"):
                    pass
    removed_total = sum(
        len(_read_uint32(clusters_folder, p)) for p in clusters_folder.list_files(glob_pattern="*.remove")
    )
    exact_total = sum(len(v) for v in exact.values())
    return {"exact_groups": groups, "exact_duplicates": exact_total, "minhash_removed": removed_total}


class _Excluded:
    """Stands in for MinhashDedupFilter's exclusion writer: keeps what it removes, to pass it on marked."""

    def __init__(self):
        self.docs: list[Document] = []

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> bool:
        return False

    def write(self, document: Document, rank: int = 0, **kwargs) -> None:
        self.docs.append(document)


class LanguageShardReader(ShardReader):
    """ShardReader over every language of a partitioned dataset, with the shard-to-task rule of LanguagePlan."""

    name = "📒 Shards per language"

    def __init__(self, data_folder: str, schema, ledger: ShardLedger, languages: list[str] | None = None):
        super().__init__(data_folder, schema, ledger)
        self.plan = LanguagePlan(data_folder, languages)

    def run(self, data: DocumentsPipeline = None, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        self.ledger.reset()
        self.ledger.rank = rank
        for lang in self.plan.languages:
            for doc in self.read_files_shard(self.plan.shards_for(lang, rank, world_size)):
                doc.metadata[_LANGUAGE_KEY] = lang
                self.update_doc_stats(doc)
                yield doc


class MinhashFilter(PipelineStep):
    """Step 4, per language: datatrove's MinhashDedupFilter with cluster ids and sizes loaded; the documents it
    removes, and the exact copies, are marked dropped with their reason and passed on to the ShardWriter."""

    type = "🫂 - DEDUP"
    name = "🎯 MinHash filter (per language)"

    def __init__(self, clusters_folder: DataFolderLike):
        super().__init__()
        self.clusters_folder = get_datafolder(clusters_folder)
        self._markers: list[dict] | None = None

    def check_clusters(self, languages: list[str], world_size: int) -> None:
        """Refuse to run on a language the cluster step has not seen: it would silently keep every duplicate."""
        if self._markers is None:
            self._markers = read_markers(self.clusters_folder)
        markers = self._markers
        done = {lang for m in markers for lang in m.get("languages", {})}
        missing = sorted(set(languages) - done)
        if missing:
            raise RuntimeError(
                f"no MinHash clusters for languages {missing} in {self.clusters_folder.path}: "
                "run `finepdfs dedup-step cluster` (after signatures and buckets) first"
            )
        tasks = {m.get("signature_tasks") for m in markers} - {None}
        if tasks and tasks != {world_size}:
            raise RuntimeError(f"signatures ran with {sorted(tasks)} tasks, this filter with {world_size}: "
                               "both steps must use the same --tasks")

    def _exact(self, lang: str, rank: int) -> set[int]:
        path = f"{lang}/{rank:06d}.exact"
        if not self.clusters_folder.isfile(path):
            return set()
        return set(_read_uint32(self.clusters_folder, path).tolist())

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        for lang, group in itertools.groupby(data, key=lambda d: d.metadata.get(_LANGUAGE_KEY)):
            yield from self._filter_language(lang, group, rank, world_size)

    def _filter_language(self, lang: str, docs, rank: int, world_size: int) -> DocumentsPipeline:
        self.check_clusters([lang], world_size)
        exact = self._exact(lang, rank)
        excluded = _Excluded()
        step = MinhashDedupFilter(self.clusters_folder.resolve_paths(lang), exclusion_writer=excluded,
                                  load_cluster_ids=True, load_cluster_sizes=True)

        def indexed():
            for i, doc in enumerate(docs):
                if not is_live(doc):
                    raise RuntimeError(f"document {doc.id} reached the MinHash filter already dropped or failed")
                doc.metadata[_INDEX_KEY] = i
                yield doc

        def removed():
            for doc in excluded.docs:
                reason = EXACT_DUPLICATE if doc.metadata.pop(_INDEX_KEY) in exact else MINHASH_DUPLICATE
                yield self._drop(doc, reason)
            excluded.docs.clear()

        for doc in step.run(indexed(), rank, world_size):
            yield from removed()
            doc.metadata.setdefault(schemas.MINHASH_CLUSTER_ID, -1)
            doc.metadata.setdefault(schemas.MINHASH_CLUSTER_SIZE, 1)
            if doc.metadata.pop(_INDEX_KEY) in exact:  # an exact copy too short for a MinHash signature
                self._drop(doc, EXACT_DUPLICATE)
            yield doc
        yield from removed()
        absorb_stats(self, step)

    def _drop(self, doc: Document, reason: str) -> Document:
        self.stat_update(reason)
        cluster = {k: doc.metadata[k] for k in (schemas.MINHASH_CLUSTER_ID, schemas.MINHASH_CLUSTER_SIZE)
                   if doc.metadata.get(k) is not None}
        return mark_dropped(doc, STAGE, reason, details=cluster or None)


__all__ = [
    "MinhashSignatures",
    "MinhashBuckets",
    "MinhashClusters",
    "MinhashFilter",
    "LanguagePlan",
    "LanguageShardReader",
    "minhash_config",
    "label_exact_duplicates",
]
