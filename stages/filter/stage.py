"""Post-process extracted text, identify languages (per page and per document), label each document with
datatrove's quality measurements (FinePDFs drops nothing for them; `quality_action = "drop"` does); write documents partitioned by FinePDFs subset (OUTPUT/eng_Latn/, ...; documents under their language's
threshold in OUTPUT/<lang>_removed/, also counted as drops), drops counted by reason.

Reads DOCUMENTS shards: several inputs may be given comma-separated (OUT/extract-docling,OUT/ocr).
"""

from __future__ import annotations


def build(run):
    from shared.langid import choose_lid_model
    from shared.runner import UsageError
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
        model_path = choose_lid_model(settings["lid_model"], run.config, settings["glotlid_model"])
        filters = quality_filters(settings)
        drop_tables = set(settings["quality_drop"]) if settings["quality_action"] == "drop" else set()
        unknown = sorted(set(settings["quality_drop"]) - set(QUALITY_FILTERS))
        if unknown:
            raise ValueError(f"[filter] quality_drop: {unknown} not one of {sorted(QUALITY_FILTERS)}")
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
        *[LabelQuality(f, drop=f.table in drop_tables) for f in filters],
        *edu_steps(run),
        run.writer(),
    ]


def edu_steps(run) -> list:
    """The edu classifier step, unless ``edu = "off"``; without any weights it is skipped and said once."""
    from loguru import logger

    from shared.runner import UsageError
    from stages.filter.edu import (
        ScoreEducationalQuality,
        missing_weights_message,
        model_folder,
        weights_present,
    )

    settings = run.settings
    if settings["edu"] == "off":
        return []
    root = run.models_dir
    pattern = settings["edu_model"]
    wanted = list(settings["edu_languages"])
    present = [f for f in root.glob(pattern.replace("{language}", "*")) if weights_present(f)]
    missing = [lang for lang in wanted if not weights_present(model_folder(root, pattern, lang))]
    if settings["edu"] == "required" and (missing or not present):
        raise UsageError(f"filter: {missing_weights_message(root, pattern, missing or wanted or ['eng_Latn'])}")
    if missing or not present:
        logger.warning(f"filter: {missing_weights_message(root, pattern, missing or wanted or ['eng_Latn'])}")
    if not present:
        return []
    return [ScoreEducationalQuality(root, pattern, device=settings["edu_device"],
                                    batch_size=settings["edu_batch_size"], cpu_threads=settings["edu_cpu_threads"],
                                    languages=wanted)]
