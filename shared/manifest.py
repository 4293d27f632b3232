"""What made a step's output: its manifest, checked on every rerun, and the completeness of what it reads.

A rerun that resumes a step must be the same step: the same input (the listing of the input files for ingest,
the ledgers of the upstream step otherwise), the same settings (those that change the output), the same number
of tasks and the same code version. ``<step output>/manifest.json`` records them when the step first runs; a
rerun that differs stops with what changed and how to redo it (``--force``, or a new output folder), instead of
keeping an output that no longer matches its settings or mixing two shardings of one dataset. The internal
steps of a stage (dedup's signatures, buckets and clusters; stats' collect) are redone by themselves when their
input changed: they are caches of the stage's last step.

A step reads only complete datasets: every upstream rank's ledger must be there before it starts, and its input
must be unchanged when it publishes a shard (``InputCheck``), so that a second writer redoing an upstream shard
cannot leave it reading half a dataset.
"""

from __future__ import annotations

import hashlib
import json
import posixpath
import time
from dataclasses import dataclass

from datatrove.io import DataFolderLike, get_datafolder

from shared.ledger import LEDGER_DIR

MANIFEST = "manifest.json"


def package_version() -> str:
    """The project's version: the installed distribution's, else pyproject.toml's (the images put the sources
    on the path instead of installing them)."""
    from importlib import metadata

    try:
        return metadata.version("finepdfs-stages")
    except metadata.PackageNotFoundError:
        import tomllib
        from pathlib import Path

        pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
        if pyproject.is_file():
            return tomllib.loads(pyproject.read_text())["project"]["version"]
        return "unknown"


def code_version() -> str:
    """The version that decides the output's format: the package version and the schema version."""
    from shared.schemas import SCHEMA_VERSION

    return f"{package_version()}+schema{SCHEMA_VERSION}"


class InputError(ValueError):
    """The input of a step is missing, empty or incomplete (a usage error: one line, exit 2)."""


def dataset_root(uri: str) -> tuple[object, str] | None:
    """(folder, path) of the dataset holding ``uri``: the folder itself when it has a ledger, else its parent
    when ``uri`` is one of its partitions (classify's docling/, filter's <lang>/). None when neither has one."""
    folder = get_datafolder(uri)
    if folder.isdir(LEDGER_DIR):
        return folder, uri
    from shared.registry import BOOKKEEPING_DIR

    if folder.isdir(f"{BOOKKEEPING_DIR}/{LEDGER_DIR}"):  # a data-only folder (the final dataset): its ledger
        return get_datafolder(f"{uri.rstrip('/')}/{BOOKKEEPING_DIR}"), uri
    parent = posixpath.dirname(uri.rstrip("/"))
    if parent and parent != uri:
        parent_folder = get_datafolder(parent)
        if parent_folder.isdir(LEDGER_DIR):
            return parent_folder, parent
    return None


def _ledger_digest(folder, expected_tasks: int | None) -> tuple[str, list[int]]:
    """A digest of a dataset's ledgers (their content: a shard redone differently changes it) and the ranks
    missing among 0..expected_tasks-1."""
    names = sorted(folder.list_files(LEDGER_DIR, glob_pattern="*.json"))
    ranks = {int(posixpath.basename(n).split(".")[0]) for n in names}
    missing = [r for r in range(expected_tasks) if r not in ranks] if expected_tasks else []
    digest = hashlib.sha256()
    for name in names:
        with folder.open(name, "rb") as f:
            digest.update(name.encode() + b"\0" + f.read())
    return digest.hexdigest(), missing


def read_manifest(folder: DataFolderLike) -> dict | None:
    folder = get_datafolder(folder)
    if not folder.isfile(MANIFEST):
        return None
    with folder.open(MANIFEST, "rt") as f:
        return json.load(f)


def upstream_fingerprint(input_uris: list[str]) -> str:
    """The state of the datasets a step reads; raises InputError when one is missing or incomplete."""
    parts = []
    seen: set[str] = set()
    for uri in input_uris:
        found = dataset_root(uri)
        if found is None:
            folder = get_datafolder(uri)
            if not folder.isdir(""):
                raise InputError(f"input {uri} does not exist")
            raise InputError(f"input {uri} holds no completed dataset (no ledger/): was the stage that writes "
                             "it run, and did it finish?")
        folder, root = found
        if root in seen:
            continue
        seen.add(root)
        manifest = read_manifest(folder)
        digest, missing = _ledger_digest(folder, manifest.get("tasks") if manifest else None)
        if missing:
            raise InputError(f"input {root} is incomplete: ranks {missing[:10]} of {manifest['tasks']} have no "
                             "ledger yet (its stage has not finished, or failed on them): finish it first")
        parts.append(f"{root}\0{digest}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def listing_fingerprint(listing: list[tuple[str, int]]) -> str:
    digest = hashlib.sha256()
    for name, size in listing:
        digest.update(f"{name}\0{size}\n".encode("utf-8", "surrogateescape"))
    return digest.hexdigest()


@dataclass(frozen=True)
class InputCheck:
    """Called by the ShardWriter before it publishes a shard: the input must be what the step started with."""

    input_uris: tuple[str, ...]
    fingerprint: str

    def __call__(self) -> None:
        now = upstream_fingerprint(list(self.input_uris))
        if now != self.fingerprint:
            raise InputError(f"the input {', '.join(self.input_uris)} changed while this step read it (another "
                             "run redid a shard of it): not publishing; re-run once the other run is done")


def build_manifest(stage: str, step: str, inputs: list[str], input_fingerprint: str, input_count: int | None,
                   settings: dict, tasks: int) -> dict:
    return {
        "stage": stage,
        "step": step,
        "inputs": inputs,
        "input_fingerprint": input_fingerprint,
        "input_count": input_count,
        "settings": settings,
        "tasks": tasks,
        "version": code_version(),
        "created": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }


COMPARED = ("input_fingerprint", "settings", "tasks", "version")


def differences(old: dict, new: dict) -> list[str]:
    """What changed between two manifests, in words."""
    changes = []
    if old.get("tasks") != new["tasks"]:
        changes.append(f"--tasks {old.get('tasks')} -> {new['tasks']}")
    if old.get("version") != new["version"]:
        changes.append(f"code version {old.get('version')} -> {new['version']}")
    old_settings, new_settings = old.get("settings", {}), new["settings"]
    for key in sorted(set(old_settings) | set(new_settings)):
        if old_settings.get(key) != new_settings.get(key):
            changes.append(f"[{new['stage']}] {key}: {old_settings.get(key)!r} -> {new_settings.get(key)!r}")
    if old.get("input_fingerprint") != new["input_fingerprint"]:
        if old.get("inputs") != new["inputs"]:
            changes.append(f"input {', '.join(old.get('inputs', []))} -> {', '.join(new['inputs'])}")
        elif new.get("input_count") is not None and old.get("input_count") != new.get("input_count"):
            changes.append(f"the input listing changed ({old.get('input_count')} -> {new['input_count']} files)")
        else:
            changes.append("its input was redone since (the upstream ledgers differ)")
    return changes


def write_manifest(folder: DataFolderLike, manifest: dict) -> None:
    folder = get_datafolder(folder)
    folder.makedirs("", exist_ok=True)
    tmp = f".{MANIFEST}.{time.time_ns()}.tmp"
    with folder.open(tmp, "wt") as f:
        json.dump(manifest, f, indent=1, sort_keys=True)
    folder.fs.mv(folder.resolve_paths(tmp), folder.resolve_paths(MANIFEST))

