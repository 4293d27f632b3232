"""One config file with per-stage sections: packaged defaults, then --config / $FINEPDFS_CONFIG, then flags."""

from __future__ import annotations

import os
import tomllib
from importlib import resources
from pathlib import Path


def _merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        merged[key] = _merge(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) else value
    return merged


def load_config(path: str | os.PathLike | None = None) -> dict:
    config = tomllib.loads(resources.files("shared").joinpath("defaults.toml").read_text())
    path = path or os.environ.get("FINEPDFS_CONFIG")
    if path:
        config = _merge(config, tomllib.loads(Path(path).read_text()))
    return config


def stage_config(stage: str, path: str | os.PathLike | None = None) -> dict:
    return load_config(path).get(stage, {})


def models_dir(path: str | os.PathLike | None = None) -> Path:
    """Where model weights live: $FINEPDFS_MODELS_DIR, else [paths].models_dir (relative to the cwd)."""
    return Path(os.environ.get("FINEPDFS_MODELS_DIR") or load_config(path)["paths"]["models_dir"]).resolve()
