"""Model weights for finepdfs-stages: fetch the real ones once, or make tiny random stand-ins for tests.

Stages never download weights at run time; they read them from the models dir ($FINEPDFS_MODELS_DIR, else
[paths].models_dir, default ./models):

    <models_dir>/docling/docling-project--docling-layout-heron/   docling's layout model (extract-docling)
    <models_dir>/reducto/RolmOCR/                                 the OCR VLM served by vLLM (ocr, GPU)

    python scripts/models.py fetch [--models-dir DIR] [--rolmocr]   # real weights from the Hugging Face hub
    python scripts/models.py tiny  [--models-dir DIR]               # random layout checkpoint, 1 MB, offline
    python scripts/models.py status [--models-dir DIR]
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Annotated

import typer

from shared.config import models_dir as configured_models_dir
from shared.config import stage_config
from stages.extract_docling.layout import (
    LAYOUT_FILES,
    LAYOUT_REPO_ID,
    layout_model_folder,
    layout_weights_present,
    make_tiny_layout_model,
)

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__.split("\n\n")[0])

ModelsDirOpt = Annotated[
    Path | None,
    typer.Option("--models-dir", help="Where weights live (default: $FINEPDFS_MODELS_DIR or [paths].models_dir)."),
]
TINY_MARKER = "RANDOM WEIGHTS"


def _models_dir(given: Path | None) -> Path:
    return given.resolve() if given else configured_models_dir()


def _is_tiny(folder: Path) -> bool:
    readme = folder / "README.txt"
    return readme.is_file() and TINY_MARKER in readme.read_text()


def rolmocr_repo() -> str:
    """The OCR model the ocr stage is configured for ([ocr].model, reducto/RolmOCR by default)."""
    return stage_config("ocr")["model"]


def _download(repo_id: str, dest: Path, revision: str, allow_patterns: list[str] | None) -> None:
    """snapshot_download into a staging folder, then swap it in: a failed fetch never leaves half a model
    (or a tiny stand-in that looks real) where the stages look. The staging folder survives a failure so
    that a rerun resumes (RolmOCR is 16 GB)."""
    from huggingface_hub import snapshot_download

    staging = dest.with_name(dest.name + ".partial")
    staging.parent.mkdir(parents=True, exist_ok=True)
    try:
        snapshot_download(repo_id=repo_id, revision=revision, local_dir=staging, allow_patterns=allow_patterns)
    except Exception as exc:  # hub errors come in many classes (offline, HTTP, DNS, TLS): all mean "not fetched"
        if staging.is_dir() and not any(p.name != ".cache" for p in staging.iterdir()):
            shutil.rmtree(staging)
        typer.secho(
            f"Could not download {repo_id}@{revision} from the Hugging Face hub: {type(exc).__name__}: {exc}\n"
            f"Nothing was written to {dest}. Either run this where huggingface.co is reachable (HF_TOKEN / "
            f"HF_ENDPOINT are honoured) and copy {dest} here, or, for offline tests only, make random "
            f"stand-in weights with `just models-tiny`.",
            fg="red",
            err=True,
        )
        raise typer.Exit(1) from exc
    shutil.rmtree(staging / ".cache", ignore_errors=True)  # huggingface_hub's download bookkeeping
    shutil.rmtree(dest, ignore_errors=True)
    staging.rename(dest)


@app.command()
def fetch(
    models_dir: ModelsDirOpt = None,
    rolmocr: Annotated[bool, typer.Option(help="Also fetch the RolmOCR VLM for the GPU OCR path (about 16 GB).")] = False,
    revision: Annotated[str, typer.Option(help="Hub revision (branch, tag or commit) of each repo.")] = "main",
) -> None:
    """Download the real weights (docling-layout-heron; RolmOCR with --rolmocr) into the models dir."""
    root = _models_dir(models_dir)
    layout = layout_model_folder(root)
    typer.echo(f"{LAYOUT_REPO_ID} -> {layout}")
    _download(LAYOUT_REPO_ID, layout, revision, allow_patterns=[*LAYOUT_FILES, "README.md", "LICENSE*"])
    if not layout_weights_present(root):
        typer.secho(f"{LAYOUT_REPO_ID} downloaded but {', '.join(LAYOUT_FILES)} not all there", fg="red", err=True)
        raise typer.Exit(1)
    if rolmocr:
        repo = rolmocr_repo()
        dest = root / repo
        typer.echo(f"{repo} -> {dest}")
        _download(repo, dest, revision, allow_patterns=None)
    typer.secho("done", fg="green")


@app.command()
def tiny(
    models_dir: ModelsDirOpt = None,
    seed: Annotated[int, typer.Option(help="Seed of the random initialisation.")] = 0,
    force: Annotated[bool, typer.Option(help="Overwrite real weights found there.")] = False,
) -> None:
    """Make a tiny random layout checkpoint where docling expects heron's (offline tests; output is noise)."""
    root = _models_dir(models_dir)
    folder = layout_model_folder(root)
    if layout_weights_present(root) and not _is_tiny(folder) and not force:
        typer.secho(f"{folder} holds real weights; not overwriting them with random ones (--force).", fg="red",
                    err=True)
        raise typer.Exit(1)
    made = make_tiny_layout_model(root, seed=seed)
    typer.echo(f"tiny random layout checkpoint (NOT for real extraction) -> {made}")


@app.command()
def status(models_dir: ModelsDirOpt = None) -> None:
    """Which weights are in the models dir; exit 1 when the layout weights are missing."""
    root = _models_dir(models_dir)
    layout = layout_model_folder(root)
    kind = "tiny random" if _is_tiny(layout) else "real"
    typer.echo(f"layout  {layout}: {kind if layout_weights_present(root) else 'missing'}")
    rolm = root / rolmocr_repo()
    typer.echo(f"rolmocr {rolm}: {'present' if (rolm / 'config.json').is_file() else 'missing'}")
    if not layout_weights_present(root):
        raise typer.Exit(1)


if __name__ == "__main__":
    app()
