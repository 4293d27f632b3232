"""Post-process extracted text, identify languages (per page and per document), label each document with
datatrove's quality measurements (FinePDFs drops nothing for them; `quality_action = "drop"` does); write documents partitioned by FinePDFs subset (OUTPUT/eng_Latn/, ...; documents under their language's
threshold in OUTPUT/<lang>_removed/, also counted as drops), drops counted by reason.

Reads DOCUMENTS shards: several inputs may be given comma-separated (OUT/extract-docling,OUT/ocr).
"""

from __future__ import annotations

CHOICES = {"below_threshold": ("removed", "drop", "unknown"), "quality_action": ("annotate", "drop")}


def build(run):
    from shared.cli import UsageError
    from stages.filter.langid import resolve_model
    from stages.filter.postprocess import PostprocessConfig
    from stages.filter.steps import (
        QUALITY_FILTERS,
        IdentifyLanguage,
        LabelQuality,
        PostProcess,
        quality_filters,
    )

    settings = run.settings
    try:
        model_path = resolve_model(settings["lid_model"], run.config, settings["glotlid_model"])
        filters = quality_filters(settings)
        drop_tables = set(settings["quality_drop"]) if settings["quality_action"] == "drop" else set()
        unknown = sorted(set(settings["quality_drop"]) - set(QUALITY_FILTERS))
        if unknown:
            raise ValueError(f"[filter] quality_drop: {unknown} not one of {sorted(QUALITY_FILTERS)}")
    except (FileNotFoundError, ValueError) as error:
        raise UsageError(f"filter: {error}") from None
    return [
        run.reader(),
        PostProcess(PostprocessConfig.from_settings(settings)),
        IdentifyLanguage(
            model_path,
            default_threshold=settings["min_lid_score"],
            thresholds=dict(settings["lid_thresholds"]),
            below_threshold=settings["below_threshold"],
            languages=settings["languages"] or None,
            min_chars=settings["min_lid_chars"],
        ),
        *[LabelQuality(f, drop=f.table in drop_tables) for f in filters],
        run.writer(),
    ]
