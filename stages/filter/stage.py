"""Post-process extracted text, identify languages (per page and per document), apply datatrove's quality
filters; write documents partitioned by FinePDFs subset (OUTPUT/eng_Latn/, ...; documents under their language's
threshold in OUTPUT/<lang>_removed/, also counted as drops), drops counted by reason.

Reads DOCUMENTS shards: several inputs may be given comma-separated (OUT/extract-docling,OUT/ocr).
"""

from __future__ import annotations


def build(run):
    from shared.runner import UsageError
    from shared.steps import DropUnless
    from stages.filter.langid import choose_lid_model
    from stages.filter.postprocess import PostprocessConfig
    from stages.filter.steps import IdentifyLanguage, PostProcess, quality_filters

    settings = run.settings
    try:
        model_path = choose_lid_model(settings["lid_model"], run.config, settings["glotlid_model"])
        filters = quality_filters(settings)
    except (FileNotFoundError, ValueError) as error:
        raise UsageError(f"filter: {error}") from None
    return [
        run.reader(),
        PostProcess(settings.pick(PostprocessConfig)),
        IdentifyLanguage(
            model_path,
            default_threshold=settings["min_lid_score"],
            thresholds=dict(settings["lid_thresholds"]),
            below_threshold=settings["below_threshold"],
            languages=settings["languages"] or None,
            min_chars=settings["min_lid_chars"],
        ),
        *[DropUnless(f, run.name) for f in filters],
        run.writer(),
    ]
