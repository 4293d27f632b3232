"""The one reader of a run folder: where each stage's output and the final dataset are, their rows, and the
settings each stage ran with (its manifest). report, release, inspect, show and the stats stage use it."""

from __future__ import annotations

from pathlib import Path

from shared import registry, schemas
from shared.ledger import LEDGER_DIR
from shared.shards import dataset_shards, read_dataset


def folder(uri: str):
    from datatrove.io import get_datafolder

    return get_datafolder(uri)


def stage_folder(run: str, name: str) -> str:
    return registry.get(name).output_uri(run)


def final_stage() -> registry.Stage:
    """The stage that writes the final dataset (what release ships and inspect samples)."""
    return next(stage for stage in registry.STAGES if stage.writes == "final_documents")


def final_folder(run: str) -> str:
    return final_stage().output_uri(run)


def bytes_stage() -> registry.Stage:
    """The stage that stores each PDF's bytes (ingest)."""
    return next(stage for stage in registry.STAGES if stage.writes == "raw_pdfs")


def read_columns(uri: str, columns: list[str], partial: bool = False):
    """The given columns of every shard of a dataset folder (partitions too): shared.shards.read_dataset."""
    return read_dataset(uri, columns, partial=partial)


def read_rows(uri: str, columns: list[str]) -> list[dict]:
    """The given columns of a dataset folder as rows (a shard lacking some gives the ones it has)."""
    return read_columns(uri, columns, partial=True).to_pylist()


def rows_with_ids(uri: str, ids: set[str], columns: list[str]) -> list[tuple[str, dict]]:
    """(partition, row) of every shard of a dataset folder (partitions too) whose id is in ``ids``; only the
    shards' matching rows of the columns asked for (and present) are materialised."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    data = folder(uri)
    found: list[tuple[str, dict]] = []
    if not ids:
        return found
    wanted = pa.array(sorted(ids), pa.string())
    for path in dataset_shards(data):
        with data.open(path, "rb") as f, pq.ParquetFile(f) as shard:
            present = list(dict.fromkeys(c for c in [schemas.ID, *columns] if c in shard.schema_arrow.names))
            table = shard.read(columns=present)
        table = table.filter(pc.is_in(table.column(schemas.ID), value_set=wanted))
        partition = path.rsplit("/", 1)[0] if "/" in path else ""
        found.extend((partition, row) for row in table.to_pylist())
    return found


def subset_shards(uri: str) -> dict[str, list[str]]:
    """Subset (partition) -> its shard files relative to a partitioned dataset folder (the final dataset)."""
    found: dict[str, list[str]] = {}
    for path in dataset_shards(uri):
        if "/" in path:
            found.setdefault(path.split("/")[0], []).append(path)
    return found


def settings_ran(run: str, name: str) -> dict | None:
    """The settings a stage ran with in this run folder (those that decide its output, as its manifest recorded
    them: flags, environment and config file included); None when it has not run."""
    from shared.manifest import read_manifest

    stage = registry.get(name)
    manifest = read_manifest(stage.ledger_folder(stage.output_uri(run)))
    return manifest["settings"] if manifest else None


def router_threshold(run: str) -> float | None:
    """The OCR router's threshold this run used (None when classify has not run here)."""
    settings = settings_ran(run, "classify")
    return settings["threshold"] if settings else None


def ledger_folder(name: str, folder: str) -> str:
    """Where the ledger of the stage whose output folder is ``folder`` lives: the folder itself, or (a stage whose
    data folder holds only data, the final dataset) its bookkeeping folder, as the registry says."""
    stage = registry.stage_of_folder(name)
    return stage.ledger_folder(folder) if stage else folder


def find_stage_folders(pipeline_dir: str) -> dict[str, str]:
    """Stage name -> output folder, for every folder under ``pipeline_dir`` that holds shard ledgers."""
    root = folder(pipeline_dir)
    found = {}
    if not root.isdir(""):
        return found
    for entry in sorted(root.ls("", detail=False)):
        name = Path(entry).name
        relative = ledger_folder(name, name)
        if root.isdir(f"{relative}/{LEDGER_DIR}"):
            found[name] = root.resolve_paths(name)
    return found
