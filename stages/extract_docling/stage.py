"""Extract text with page offsets from text PDFs on CPU (no OCR).

Reads routed PDF shards (OUT/classify/docling), writes DOCUMENTS shards. Corrupt, encrypted, zero-page and
non-PDF inputs, timeouts and worker crashes become error rows; the shard always completes. With the layout
model's weights in MODELS_DIR/docling (`just models`) Docling's StandardPdfPipeline runs (extractor
docling-layout), else the model-free text path: PyMuPDF's text lines laid out by textkit/layout.py (pymupdf-text,
the default) or Docling's NativePdfPipeline (docling-native, --text-path docling-native).
"""

from __future__ import annotations


def build(run):
    from datatrove.utils.logging import logger

    from shared import schemas
    from shared.runner import UsageError
    from shared.steps import WorkerLimits
    from stages.extract_docling.steps import DoclingExtract, DoclingSettings, resolve_layout_artifacts

    settings = run.settings
    try:
        artifacts = resolve_layout_artifacts(run.models_dir, settings["layout_model"])
    except FileNotFoundError as error:
        raise UsageError(str(error)) from None
    docling = settings.pick(DoclingSettings, layout_artifacts=artifacts)
    logger.info(f"extract-docling: using {docling.extractor}"
                + ("" if artifacts else " (no layout weights in the models dir; `just models` fetches them)"))
    return [
        run.reader(schema=schemas.RAW_PDFS, batch_size=16),  # needs the bytes only: raw shards work too
        DoclingExtract(docling, settings.pick(WorkerLimits)),
        run.writer(),
    ]
