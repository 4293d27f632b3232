"""The systems the suite compares, each as `pages(pdf_bytes) -> list of page texts`, built once per process.

- ``ours``: what `finepdfs run` ships for a text PDF: extract-docling's extraction (as configured in
  stages/extract_docling/stage.toml: Docling's layout model when its weights are in the models folder, else the text path
  ``text_path``), then filter's post-processing (stages/filter/postprocess.py). One adapter, in process.
- ``ours-tables-off``: the same with ``tables = false`` (FinePDFs' setting).
- ``ours-docling-native``: the same with ``text_path = "docling-native"`` (the default before this suite).
- ``pymupdf4llm``: pymupdf4llm 2.0 with PyMuPDF's bundled ONNX layout model, header=False, footer=False
  (OCR off: these are born-digital pages).
- ``docling-native``: Docling's model-free NativePdfPipeline, bare: its own Markdown export per page.
- ``pdftotext``: poppler-utils' pdftotext (Debian), reading order (no ``-layout``), pages split at form feeds.
"""

from __future__ import annotations

from collections.abc import Callable

PagesFn = Callable[[bytes], list[str]]


def pipeline_pages(text_path: str | None = None, tables: bool | None = None) -> PagesFn:
    """Our pipeline's born-digital text path: the extract-docling stage's extraction + filter's post-processing,
    with the stage's own defaults (``text_path``, ``tables`` override them)."""
    from shared.config import models_dir, stage_settings
    from stages.extract_docling.steps import (
        DoclingSettings,
        build_extractor,
        extract,
        resolve_layout_artifacts,
    )
    from stages.filter.postprocess import PostprocessConfig, postprocess_pages

    cfg = stage_settings("extract-docling")
    artifacts = resolve_layout_artifacts(models_dir(), cfg["layout_model"])
    given = {key: value for key, value in dict(text_path=text_path, tables=tables).items() if value is not None}
    settings = cfg.pick(DoclingSettings, layout_artifacts=artifacts, **given)
    state = build_extractor(settings)
    post = stage_settings("filter").pick(PostprocessConfig)

    def pages(pdf_bytes: bytes) -> list[str]:
        return postprocess_pages(extract(state, pdf_bytes)["pages"], set(), post)

    pages.extractor = settings.extractor
    return pages


def pymupdf4llm_pages() -> PagesFn:
    import pymupdf
    import pymupdf4llm

    pymupdf4llm.use_layout(True)  # the bundled ONNX layout model (pymupdf.layout)

    def pages(pdf_bytes: bytes) -> list[str]:
        with pymupdf.open(stream=pdf_bytes, filetype="pdf") as doc:
            chunks = pymupdf4llm.to_markdown(doc, header=False, footer=False, use_ocr=False, page_chunks=True,
                                             show_progress=False)
        return [c["text"] for c in chunks] if isinstance(chunks, list) else [chunks]

    pages.extractor = f"pymupdf4llm {pymupdf4llm.__version__} (layout)"
    return pages


def docling_native_pages() -> PagesFn:
    import io
    import logging

    from docling.datamodel.base_models import DocumentStream, InputFormat
    from docling.datamodel.pipeline_options import NativePdfPipelineOptions
    from docling.document_converter import DocumentConverter, PdfFormatOption
    from docling.pipeline.native_pdf_pipeline import NativePdfPipeline

    logging.getLogger("docling").setLevel(logging.ERROR)
    options = NativePdfPipelineOptions(generate_page_images=False, generate_picture_images=False)
    converter = DocumentConverter(format_options={
        InputFormat.PDF: PdfFormatOption(pipeline_cls=NativePdfPipeline, pipeline_options=options)})

    def pages(pdf_bytes: bytes) -> list[str]:
        result = converter.convert(DocumentStream(name="page.pdf", stream=io.BytesIO(pdf_bytes)),
                                   raises_on_error=False)
        document = result.document
        return [document.export_to_markdown(page_no=n, image_placeholder="")
                for n in range(1, document.num_pages() + 1)]

    pages.extractor = "docling NativePdfPipeline (markdown export)"
    return pages


def pdftotext_pages() -> PagesFn:
    import shutil
    import subprocess

    if not shutil.which("pdftotext"):
        raise SystemExit("pdftotext is not installed: `apt-get install poppler-utils` (`just eval-external` does it), "
                         "or leave it out of --systems")
    version = subprocess.run(["pdftotext", "-v"], capture_output=True, text=True).stderr.split("\n")[0]

    def pages(pdf_bytes: bytes) -> list[str]:
        return poppler_pages(pdf_bytes)

    pages.extractor = version.strip()
    return pages


def poppler_pages(pdf_bytes: bytes, timeout: float | None = None, check: bool = True) -> list[str]:
    """Poppler's pdftotext reading of each page (reading order, no ``-layout``), split at its form feeds.
    Raises ``TimeoutExpired`` past ``timeout``, and ``CalledProcessError`` where it fails unless ``check`` is
    off (then what it read before failing)."""
    import subprocess

    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=pdf_bytes, capture_output=True,
                          check=check, timeout=timeout).stdout.decode("utf-8", errors="replace")
    parts = text.split("\f")
    return parts[:-1] if len(parts) > 1 and not parts[-1].strip() else parts


SYSTEMS: dict[str, Callable[[], PagesFn]] = {
    "ours": pipeline_pages,
    "ours-tables-off": lambda: pipeline_pages(tables=False),
    "ours-docling-native": lambda: pipeline_pages("docling-native"),
    "pymupdf4llm": pymupdf4llm_pages,
    "docling-native": docling_native_pages,
    "pdftotext": pdftotext_pages,
}
DEFAULT_SYSTEMS = ("ours", "pymupdf4llm", "docling-native")
