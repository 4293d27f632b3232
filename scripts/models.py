"""Model weights for finepdfs-stages: fetch the real ones once (stages never download at run time).

Stages read weights from the models dir ($FINEPDFS_MODELS_DIR, else [run] models_dir, default ./models):

    <models_dir>/docling/docling-project--docling-layout-heron/   docling's layout model (extract-docling)
    <models_dir>/reducto/RolmOCR/                                 the OCR VLM served by vLLM (ocr, GPU)
    <models_dir>/HuggingFaceFW/finepdfs_edu_classifier_<lang>/    FinePDFs-Edu's classifiers (filter's edu step)

    python -m scripts.models fetch [--models-dir DIR] [--rolmocr] [--edu eng_Latn,fra_Latn]   # from the hub
    python -m scripts.models status [--models-dir DIR]

Tiny random stand-ins for offline tests: `python -m tools.tiny_models layout` (`just models-tiny`),
`python -m tools.tiny_models edu --language eng_Latn`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import click

from shared.config import models_dir as configured_models_dir  # noqa: E402
from shared.config import stage_settings  # noqa: E402
from stages.extract_docling.docling_model import (  # noqa: E402
    LAYOUT_FILES,
    LAYOUT_REPO_ID,
    layout_model_folder,
    layout_weights_present,
)
from tools.tiny_models import TINY_MARKER  # noqa: E402

models_dir_option = click.option("--models-dir", type=click.Path(path_type=Path), default=None,
                                 help="Where weights live (default: $FINEPDFS_MODELS_DIR or [run] models_dir).")


def _models_dir(given: Path | None) -> Path:
    return given.resolve() if given else configured_models_dir()


def _is_tiny(folder: Path) -> bool:
    readme = folder / "README.txt"
    return readme.is_file() and TINY_MARKER in readme.read_text()


def edu_repo(language: str) -> str:
    """FinePDFs-Edu's classifier of a language, as the filter's [filter] edu_model names it."""
    return stage_settings("filter")["edu_model"].format(language=language)


def rolmocr_repo() -> str:
    """The OCR model the ocr stage is configured for ([ocr] model, reducto/RolmOCR by default)."""
    return stage_settings("ocr")["model"]


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
        raise click.ClickException(
            f"Could not download {repo_id}@{revision} from the Hugging Face hub: {type(exc).__name__}: {exc}\n"
            f"Nothing was written to {dest}. Either run this where huggingface.co is reachable (HF_TOKEN / "
            f"HF_ENDPOINT are honoured) and copy {dest} here, or, for offline tests only, make random "
            f"stand-in weights with `just models-tiny`."
        ) from exc
    shutil.rmtree(staging / ".cache", ignore_errors=True)  # huggingface_hub's download bookkeeping
    shutil.rmtree(dest, ignore_errors=True)
    staging.rename(dest)


@click.group(help=__doc__.split("\n\n")[0])
def app() -> None:
    pass


@app.command()
@models_dir_option
@click.option("--rolmocr", is_flag=True, help="Also fetch the RolmOCR VLM for the GPU OCR path (about 16 GB).")
@click.option("--edu", "edu_languages", default="", metavar="LANGS",
              help="Also fetch FinePDFs-Edu's classifiers of these languages (eng_Latn,fra_Latn).")
@click.option("--revision", default="main", show_default=True, help="Hub revision (branch, tag or commit).")
def fetch(models_dir: Path | None, rolmocr: bool, edu_languages: str, revision: str) -> None:
    """Download the real weights (docling-layout-heron; RolmOCR with --rolmocr; edu classifiers with --edu)."""
    root = _models_dir(models_dir)
    for language in filter(None, edu_languages.split(",")):
        repo = edu_repo(language.strip())
        click.echo(f"{repo} -> {root / repo}")
        _download(repo, root / repo, revision, allow_patterns=["*.json", "*.safetensors", "*.txt", "README.md"])
    layout = layout_model_folder(root)
    click.echo(f"{LAYOUT_REPO_ID} -> {layout}")
    _download(LAYOUT_REPO_ID, layout, revision, allow_patterns=[*LAYOUT_FILES, "README.md", "LICENSE*"])
    if not layout_weights_present(root):
        raise click.ClickException(f"{LAYOUT_REPO_ID} downloaded but {', '.join(LAYOUT_FILES)} not all there")
    if rolmocr:
        repo = rolmocr_repo()
        dest = root / repo
        click.echo(f"{repo} -> {dest}")
        _download(repo, dest, revision, allow_patterns=None)
    click.secho("done", fg="green")


@app.command()
@models_dir_option
def status(models_dir: Path | None) -> None:
    """Which weights are in the models dir; exit 1 when the layout weights are missing."""
    root = _models_dir(models_dir)
    layout = layout_model_folder(root)
    kind = "tiny random" if _is_tiny(layout) else "real"
    click.echo(f"layout  {layout}: {kind if layout_weights_present(root) else 'missing'}")
    rolm = root / rolmocr_repo()
    click.echo(f"rolmocr {rolm}: {'present' if (rolm / 'config.json').is_file() else 'missing'}")
    pattern = stage_settings("filter")["edu_model"]
    for folder in sorted(root.glob(pattern.replace("{language}", "*"))):
        click.echo(f"edu     {folder}: {'tiny random' if _is_tiny(folder) else 'real'}")
    if not layout_weights_present(root):
        raise SystemExit(1)


if __name__ == "__main__":
    app()
