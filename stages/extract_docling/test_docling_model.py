"""docling's StandardPdfPipeline, offline, on the tiny random layout checkpoint: the text must come through."""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest

pytest.importorskip("docling")
pytest.importorskip("transformers")
pymupdf = pytest.importorskip("pymupdf")

from stages.extract_docling.docling_model import (  # noqa: E402
    LAYOUT_FILES,
    LAYOUT_REPO_FOLDER,
    docling_artifacts_path,
    layout_weights_present,
    standard_pipeline_converter,
)
from tools.tiny_models import make_tiny_layout_model  # noqa: E402

PAGES = [
    [
        "Grain storage in the northern valleys",
        "Farmers along the river kept their harvest in raised wooden granaries that let air move beneath "
        "the floor and kept rodents away from the seed stock through the long winter months.",
        "Records from the village council show that each household paid a small share of its grain into a "
        "common store, which was opened only in years when the spring floods ruined the early crop.",
    ],
    [
        "The second page describes how the common store was audited every autumn by two elders chosen by lot, "
        "who weighed each sack and wrote the totals into a ledger kept at the mill.",
        "When the railway arrived the granaries fell out of use and most were taken apart for their timber.",
    ],
]


def _normalise(text: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"[#*_|`]", " ", text)).strip()


@pytest.fixture(scope="session")
def tiny_models_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    models_dir = tmp_path_factory.mktemp("models")
    make_tiny_layout_model(models_dir)
    return models_dir


@pytest.fixture(scope="session")
def converter(tiny_models_dir: Path):
    return standard_pipeline_converter(docling_artifacts_path(tiny_models_dir), document_timeout=120.0, tables=False)


@pytest.fixture
def text_pdf(tmp_path: Path) -> Path:
    doc = pymupdf.open()
    for paragraphs in PAGES:
        page = doc.new_page(width=595, height=842)
        y = 72
        for paragraph in paragraphs:
            rect = pymupdf.Rect(72, y, 523, y + 120)
            assert page.insert_textbox(rect, paragraph, fontsize=11, fontname="helv") >= 0
            y += 140
    path = tmp_path / "granaries.pdf"
    doc.save(path)
    return path


def test_tiny_checkpoint_has_the_files_docling_loads(tiny_models_dir: Path):
    folder = tiny_models_dir / "docling" / LAYOUT_REPO_FOLDER
    assert sorted(p.name for p in folder.iterdir()) == sorted([*LAYOUT_FILES, "README.txt"])
    assert "RANDOM WEIGHTS" in (folder / "README.txt").read_text()
    assert layout_weights_present(tiny_models_dir)
    assert layout_weights_present(docling_artifacts_path(tiny_models_dir))  # the artifacts folder works too


def test_tiny_checkpoint_is_deterministic(tiny_models_dir: Path, tmp_path: Path):
    again = make_tiny_layout_model(tmp_path)
    original = tiny_models_dir / "docling" / LAYOUT_REPO_FOLDER
    assert (again / "model.safetensors").read_bytes() == (original / "model.safetensors").read_bytes()


def test_weights_absent_for_empty_or_partial_folder(tmp_path: Path):
    assert not layout_weights_present(tmp_path)
    assert not layout_weights_present(docling_artifacts_path(tmp_path))
    folder = tmp_path / "docling" / LAYOUT_REPO_FOLDER
    folder.mkdir(parents=True)
    (folder / "config.json").write_text("{}")
    assert not layout_weights_present(tmp_path)
    assert not layout_weights_present(docling_artifacts_path(tmp_path))


def test_missing_weights_name_the_fetch_command(tmp_path: Path):
    with pytest.raises(FileNotFoundError, match="just models") as excinfo:
        standard_pipeline_converter(docling_artifacts_path(tmp_path), document_timeout=10.0, tables=False)
    assert "model.safetensors" in str(excinfo.value)


def test_text_survives_the_standard_pipeline(converter, text_pdf: Path):
    from docling.datamodel.base_models import ConversionStatus

    result = converter.convert(text_pdf)
    assert result.status == ConversionStatus.SUCCESS
    assert len(result.document.pages) == len(PAGES)
    for page_no, paragraphs in enumerate(PAGES, start=1):
        got = _normalise(result.document.export_to_markdown(page_no=page_no))
        want = _normalise(" ".join(paragraphs))
        similarity = difflib.SequenceMatcher(None, got, want, autojunk=False).ratio()
        assert similarity > 0.9, (page_no, similarity, got)
    # The layout model did run: besides the orphan clusters docling makes for unclaimed cells (confidence
    # 1.0), some clusters carry the model's own detection score.
    scores = [c.confidence for page in result.pages for c in page.predictions.layout.clusters]
    assert any(score < 1.0 for score in scores), scores
