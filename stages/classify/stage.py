"""Route each PDF to Docling (usable text layer) or OCR, with the XGBoost router on PyMuPDF features.

Writes OUTPUT/docling/ and OUTPUT/ocr/ (routed PDFs: a reference to the bytes ingest stored, ocr_prob, route,
route_reason, garbled_ratio, pages_needing_ocr, num_pages), OUTPUT/errors/ for PDFs that cannot be read
(CorruptPdf, EncryptedPdf, ZeroPages, PdfTooLarge, EmptyFile) and OUTPUT/ledger/.
"""

from __future__ import annotations

CHOICES = {"force_route": ("", "docling", "ocr")}
RUNTIME_SETTINGS = ("recycle_after",)  # settings that change how fast, not what: a rerun may change them


def build(run):
    from shared.cli import UsageError
    from stages.classify.model import RouterModel, RoutingRule
    from stages.classify.steps import ClassifyPdf, FeatureOptions

    settings = run.settings
    model_path = settings["model"] or None
    try:
        RouterModel(model_path)  # fail before any shard starts, with a clear message
    except (FileNotFoundError, RuntimeError) as error:
        raise UsageError(f"classify: {error}") from None
    return [
        run.reader(),
        ClassifyPdf(
            RoutingRule.from_settings(settings),
            model_path=model_path,
            options=FeatureOptions(
                sample_pages=settings["sample_pages"], seed=settings["seed"],
                max_pdf_bytes=settings["max_pdf_bytes"], time_budget_s=settings["time_budget_s"],
                scan_pages=settings["scan_pages"],
            ),
            document_timeout_s=settings["document_timeout_s"],
            max_memory_mb=settings["max_memory_mb"],
            recycle_after=settings["recycle_after"],
        ),
        run.writer(),
    ]
