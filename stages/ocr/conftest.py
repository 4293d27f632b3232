"""Fixtures for the ocr stage's tests: run `finepdfs ocr` in-process, read what it wrote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shared.shards import read_dataset


def run_ocr(*args: str) -> int:
    """`finepdfs ocr ARGS` in this process; its exit code."""
    from stages.cli import invoke

    return invoke("ocr", *args)


def stage_output(out: Path) -> dict:
    """Rows by file_path, error rows, and the shard's ledger (None when the shard is incomplete)."""
    ledger = out / "ledger" / "00000.json"
    return {
        "rows": {r["file_path"]: r for r in read_dataset(out).to_pylist()},
        "errors": {r["id"]: r for r in read_dataset(out / "errors").to_pylist()},
        "ledger": json.loads(ledger.read_text()) if ledger.exists() else None,
    }


@pytest.fixture
def write_config(tmp_path):
    def write(**ocr) -> str:
        lines = ["[ocr]"] + [f"{k} = {json.dumps(v)}" for k, v in ocr.items()]
        path = tmp_path / "ocr.toml"
        path.write_text("\n".join(lines) + "\n")
        return str(path)

    return write
