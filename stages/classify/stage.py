"""Route each PDF to Docling (usable text layer) or OCR, with the XGBoost router on PyMuPDF features.

Writes OUTPUT/docling/ and OUTPUT/ocr/ (routed PDFs: a reference to the bytes ingest stored, ocr_prob, route,
route_reason, garbled_ratio, pages_needing_ocr, num_pages), OUTPUT/errors/ for PDFs that cannot be read
(CorruptPdf, EncryptedPdf, ZeroPages, PdfTooLarge, EmptyFile) and OUTPUT/ledger/.
"""

from __future__ import annotations


def build(run):
    from shared.runner import UsageError
    from shared.steps import WorkerLimits
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
            settings.pick(RoutingRule, force_route=settings.force_route or None),
            model_path=model_path,
            options=settings.pick(FeatureOptions),
            limits=settings.pick(WorkerLimits),
        ),
        run.writer(),
    ]
