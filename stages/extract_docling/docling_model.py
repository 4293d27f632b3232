"""Docling's layout model (docling-layout-heron) from a local folder: find its weights, build the converter.

Weights are never downloaded at run time: docling is given `artifacts_path`, and it fails (rather than
reaching for the hub) when the repo folder is missing there. Fetch real weights with `just models`; make a
tiny random stand-in (plumbing tests only: its layout labels are noise) with `just models-tiny`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from docling.document_converter import DocumentConverter

LAYOUT_REPO_ID = "docling-project/docling-layout-heron"
# docling looks for `<artifacts_path>/<repo id with "/" -> "--">/` (resolve_model_artifacts_path).
LAYOUT_REPO_FOLDER = LAYOUT_REPO_ID.replace("/", "--")
# Under the project's models dir, docling's artifacts live in their own folder (RolmOCR sits beside it).
DOCLING_SUBDIR = "docling"
LAYOUT_FILES = ("config.json", "preprocessor_config.json", "model.safetensors")
FETCH_HINT = "just models  (or: python -m scripts.models fetch --models-dir DIR)"

def docling_artifacts_path(models_dir: Path) -> Path:
    """The folder handed to docling as `artifacts_path`."""
    return Path(models_dir) / DOCLING_SUBDIR


def layout_model_folder(models_dir: Path) -> Path:
    return docling_artifacts_path(models_dir) / LAYOUT_REPO_FOLDER


def _missing_files(folder: Path) -> list[str]:
    return [name for name in LAYOUT_FILES if not (folder / name).is_file() or (folder / name).stat().st_size == 0]


def layout_weights_present(models_dir: Path) -> bool:
    """True when every file docling loads for the layout model is there (a half-fetched folder is absent).

    Takes the models dir (weights under docling/<repo folder>/) or docling's artifacts folder itself."""
    models_dir = Path(models_dir)
    return not _missing_files(layout_model_folder(models_dir)) or not _missing_files(models_dir / LAYOUT_REPO_FOLDER)


def missing_weights_message(artifacts_path: Path) -> str:
    """What is missing and the command that fetches it (weights are never downloaded at run time)."""
    folder = Path(artifacts_path) / LAYOUT_REPO_FOLDER
    return (
        f"docling layout weights ({LAYOUT_REPO_ID}) missing in {folder}: "
        f"{', '.join(_missing_files(folder))}. Fetch them with: {FETCH_HINT}"
    )


# Docling's table model (TableFormer, v1) reads `<artifacts_path>/docling-project--docling-models/model_artifacts/
# tableformer/accurate/tm_config.json`; used for `tables = true` only when that is there (never downloaded).
TABLE_REPO_FOLDER = "docling-project--docling-models"
TABLE_MODEL_CONFIG = Path("model_artifacts") / "tableformer" / "accurate" / "tm_config.json"


def table_weights_present(artifacts_path: Path) -> bool:
    return (Path(artifacts_path) / TABLE_REPO_FOLDER / TABLE_MODEL_CONFIG).is_file()


def _only_v1_table_structure_engines() -> dict:
    from docling.models.stages.table_structure.table_structure_model import TableStructureModel

    return {"table_structure_engines": [TableStructureModel]}


def _register_torchvision_free_table_engines() -> None:
    """docling's default plugin lists the v2 table model, whose module imports torchvision (broken with the
    CPU torch wheel). The factory reads this hook when first built, so swap it before any converter exists."""
    from docling.models.plugins import defaults

    defaults.table_structure_engines = _only_v1_table_structure_engines


def standard_pipeline_converter(
    artifacts_path: Path, document_timeout: float, tables: bool, num_threads: int = 1
) -> DocumentConverter:
    """docling's StandardPdfPipeline (layout model, no OCR) reading weights from `artifacts_path`; its table
    model too when `tables` and the TableFormer weights are there (`table_weights_present`).

    Raises FileNotFoundError naming the fetch command when the layout weights are not there."""
    artifacts_path = Path(artifacts_path)
    if _missing_files(artifacts_path / LAYOUT_REPO_FOLDER):
        raise FileNotFoundError(missing_weights_message(artifacts_path))
    _register_torchvision_free_table_engines()

    from docling.datamodel.accelerator_options import AcceleratorDevice, AcceleratorOptions
    from docling.datamodel.base_models import InputFormat
    from docling.datamodel.pipeline_options import PdfPipelineOptions
    from docling.document_converter import DocumentConverter, PdfFormatOption
    from docling.pipeline.standard_pdf_pipeline import StandardPdfPipeline

    options = PdfPipelineOptions(
        do_ocr=False,
        do_table_structure=bool(tables and table_weights_present(artifacts_path)),
        artifacts_path=artifacts_path,
        document_timeout=document_timeout,
        accelerator_options=AcceleratorOptions(num_threads=num_threads, device=AcceleratorDevice.CPU),
        enable_remote_services=False,
        allow_external_plugins=False,
    )
    converter = DocumentConverter(
        allowed_formats=[InputFormat.PDF],
        format_options={
            InputFormat.PDF: PdfFormatOption(pipeline_cls=StandardPdfPipeline, pipeline_options=options)
        },
    )
    # Load the model now: a broken checkpoint fails here, once, not as an error row per document.
    converter.initialize_pipeline(InputFormat.PDF)
    return converter
