"""filter: post-processing, language ID per page and per document, datatrove's quality filters as labels.

Every step marks documents (dropped with a reason, or failed) and passes them on; the ShardWriter counts them.
"""

from __future__ import annotations

from pathlib import Path

from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from shared import outcomes, schemas
from shared.langid import LanguageIdentifier, LidModel
from shared.ledger import KEEP_IN_KEY, is_live, mark_dropped, mark_failed
from shared.steps import DocumentStep
from stages.filter.postprocess import PostprocessConfig, content_text, postprocess_pages_counted
from stages.filter.quality import QualityFilter
from textkit.languages import UNKNOWN_LANGUAGE, normalize_code, subset_name, word_tokenizer
from textkit.pages import check_page_ends, join_pages, split_pages

STAGE = "filter"

EMPTY_TEXT, LID_NO_TEXT = outcomes.EMPTY_TEXT, outcomes.LID_NO_TEXT
LID_LOW_SCORE, LID_LANGUAGE_NOT_KEPT = outcomes.LID_LOW_SCORE, outcomes.LID_LANGUAGE_NOT_KEPT

# Gopher's stop-word rule is English-only (its word list is English).
GOPHER_STOP_WORDS_LANGUAGES = ("eng_Latn",)
BELOW_THRESHOLD = ("removed", "drop", "unknown")
QUALITY_ACTIONS = ("annotate", "drop")


def document_pages(doc: Document) -> list[str]:
    ends = list(doc.metadata.get(schemas.PAGE_ENDS) or [])
    if not ends:
        return [doc.text] if doc.text else []
    try:
        check_page_ends(doc.text, ends)
    except ValueError as error:
        raise outcomes.BadPageEnds(str(error)) from error
    return split_pages(doc.text, ends)


class PostProcess(DocumentStep):
    """Unicode normalisation, failed-page markers coalesced, page numbers and running headers removed (their
    characters added to the document's furniture_chars)."""

    name = "🧹 Post-process"
    type = "✂️ - FORMAT"
    stage = STAGE

    def __init__(self, config: PostprocessConfig):
        super().__init__()
        self.config = config

    def process(self, doc: Document) -> None:
        failed = set(doc.metadata.get(schemas.FAILED_PAGES) or [])
        before = len(doc.text)
        pages, furniture, kept = postprocess_pages_counted(document_pages(doc), failed, self.config)
        doc.text, doc.metadata[schemas.PAGE_ENDS] = join_pages(pages)
        doc.metadata[schemas.FURNITURE_CHARS] = (doc.metadata.get(schemas.FURNITURE_CHARS) or 0) + furniture
        self.stat_update("chars_removed", value=before - len(doc.text))
        self.stat_update(schemas.FURNITURE_CHARS, value=furniture)
        if kept:  # pages the furniture edits would have emptied, kept as they were
            self.stat_update("furniture_kept_pages", value=kept)
        if not content_text(doc.text).strip():
            mark_dropped(doc, STAGE, EMPTY_TEXT)
            self.stat_update(EMPTY_TEXT)


class IdentifyLanguage(DocumentStep):
    """Sets the FinePDFs language columns (FinePDFs' codes: ``eng_Latn``) and the subset each document goes to.

    A document whose language score is under its language's threshold is dropped (reason lid_low_score, its
    scores in the drop's details) and, with ``below_threshold="removed"`` (FinePDFs' way), also kept on disk in the
    ``<lang>_removed`` subset, whole; ``"drop"`` drops it only; ``"unknown"`` keeps it, language ``unknown``.
    """

    name = "🌍 Language ID"
    type = "🔻 - FILTER"
    stage = STAGE

    def __init__(
        self,
        model: LidModel | str | Path,
        default_threshold: float = 0.5,
        thresholds: dict[str, float] | None = None,
        below_threshold: str = "removed",
        languages: list[str] | None = None,
        min_chars: int = 20,
    ):
        super().__init__()
        if below_threshold not in BELOW_THRESHOLD:
            raise ValueError(f"below_threshold must be one of {BELOW_THRESHOLD}, not {below_threshold!r}")
        self.model = model if isinstance(model, LidModel) else LidModel("fasttext", Path(model))
        self.default_threshold = default_threshold
        # config keys may be FinePDFs codes or (older configs) lid.176's 2-letter codes
        self.thresholds = {normalize_code(k): v for k, v in (thresholds or {}).items()}
        self.below_threshold = below_threshold
        self.languages = {normalize_code(code) for code in languages or []}
        self.min_chars = min_chars
        self._identifier = None

    @property
    def identifier(self) -> LanguageIdentifier:
        if self._identifier is None:  # built per task: the fastText model is not picklable
            self._identifier = LanguageIdentifier(self.model, min_chars=self.min_chars)
        return self._identifier

    def threshold(self, language: str) -> float:
        return self.thresholds.get(language, self.default_threshold)

    def process(self, doc: Document) -> None:
        pages = [content_text(page) for page in document_pages(doc)]
        result = self.identifier.identify(pages, content_text(doc.text))
        doc.metadata[schemas.PER_PAGE_LANGUAGES] = result.per_page
        doc.metadata[schemas.PAGE_AVERAGE_LID] = result.page_average
        doc.metadata[schemas.PAGE_AVERAGE_LID_SCORE] = result.page_average_score
        doc.metadata[schemas.FULL_DOC_LID] = result.full_doc
        doc.metadata[schemas.FULL_DOC_LID_SCORE] = result.full_doc_score
        language, score = result.best
        reason = None
        if language is None:
            reason = LID_NO_TEXT
        elif score < self.threshold(language):
            reason = LID_LOW_SCORE
        details = {"language": language, "score": score, "threshold": self.threshold(language) if language else None,
                   "page_average_lid": result.page_average, "page_average_lid_score": result.page_average_score,
                   "full_doc_lid": result.full_doc, "full_doc_lid_score": result.full_doc_score,
                   "lid_model": self.model.kind}
        if reason and self.below_threshold != "unknown":
            language = language or UNKNOWN_LANGUAGE
            doc.metadata[schemas.LANGUAGE] = language
            keep = reason == LID_LOW_SCORE and self.below_threshold == "removed"
            doc.metadata[schemas.SUBSET] = subset_name(language, removed=keep)
            mark_dropped(doc, STAGE, reason, details=details, keep_in=doc.metadata[schemas.SUBSET] if keep else None)
            self.stat_update(reason)
            self.stat_update(f"{reason}/{language or UNKNOWN_LANGUAGE}")  # which languages lose documents
            return
        language = UNKNOWN_LANGUAGE if reason else language
        doc.metadata[schemas.LANGUAGE] = doc.metadata[schemas.SUBSET] = language
        self.stat_update(f"lang_{language}")
        if self.languages and language not in self.languages:
            mark_dropped(doc, STAGE, LID_LANGUAGE_NOT_KEPT, details=details | {"kept_languages": sorted(self.languages)})


def gopher_quality(language: str, arguments: dict):
    from datatrove.pipeline.filters import GopherQualityFilter

    kwargs = dict(arguments)
    if language not in GOPHER_STOP_WORDS_LANGUAGES:
        kwargs["min_stop_words"] = None
    return GopherQualityFilter(language=word_tokenizer(language), **kwargs)


def gopher_repetition(language: str, arguments: dict):
    from datatrove.pipeline.filters import GopherRepetitionFilter

    return GopherRepetitionFilter(language=word_tokenizer(language), **arguments)


def fineweb_quality(language: str, arguments: dict):
    from datatrove.pipeline.filters import FineWebQualityFilter

    return FineWebQualityFilter(language=word_tokenizer(language), **arguments)


QUALITY_FILTERS = {
    # config table -> (drop reason family, datatrove filter class, factory)
    "gopher_quality": (outcomes.GOPHER_QUALITY, "GopherQualityFilter", gopher_quality),  # first: a short
    # document is "short", not "repetitive"
    "gopher_repetition": (outcomes.GOPHER_REPETITION, "GopherRepetitionFilter", gopher_repetition),
    "fineweb_quality": (outcomes.FINEWEB_QUALITY, "FineWebQualityFilter", fineweb_quality),
}


def _check_filter_arguments(table: str, class_name: str, arguments: dict) -> None:
    """The keys of a [filter.<table>] must be arguments of its datatrove filter: a typo is an error."""
    import difflib
    import inspect

    from datatrove.pipeline import filters

    accepted = set(inspect.signature(getattr(filters, class_name)).parameters) - {"self", "exclusion_writer",
                                                                                 "language"}
    for key in arguments:
        if key not in accepted:
            close = difflib.get_close_matches(key, sorted(accepted), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise ValueError(f"[filter.{table}] {key!r} is not an argument of datatrove's {class_name}{hint}")


def quality_filters(settings) -> list[QualityFilter]:
    """The quality filters enabled in the ``[filter]`` settings, each from its ``[filter.<name>]`` table."""
    from datatrove.pipeline import filters as datatrove_filters

    filters = []
    skip = tuple(settings["quality_skip_scripts"])
    for table, (prefix, class_name, factory) in QUALITY_FILTERS.items():
        arguments = dict(settings[table])
        if not arguments.pop("enabled", False):
            continue
        _check_filter_arguments(table, class_name, arguments)
        filters.append(QualityFilter(table, prefix, getattr(datatrove_filters, class_name), factory, arguments,
                                     skip_scripts=skip))
    return filters


class LabelQuality(PipelineStep):
    """Measures one datatrove quality filter on each document: its values become the ``<table>`` struct column, the
    first rule it fails the ``<table>_fail`` column (null: passes). FinePDFs' way is to label, not drop
    (``quality_action = "annotate"``); with ``drop`` a failing document is a counted drop (reason: that rule).

    Documents kept in a ``<lang>_removed`` subset are measured too (they are written with these columns).
    """

    type = "🔻 - FILTER"

    def __init__(self, quality: QualityFilter, drop: bool = False):
        self.quality = quality
        self.drop = drop
        self.name = f"{'drop unless' if drop else 'label'} {quality.table}"
        super().__init__()  # after the name: datatrove names the step's stats from it

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        for doc in data:
            live = is_live(doc)
            if (live or doc.metadata.get(KEEP_IN_KEY)) and self.quality.applies(doc):
                with self.track_time():
                    try:  # failed-page markers are not the document's text
                        view = Document(text=content_text(doc.text), id=doc.id, metadata=doc.metadata)
                        values, reason = self.quality.measure(view)
                    except Exception as error:  # noqa: BLE001 - one bad document must not end the shard
                        if live:
                            mark_failed(doc, STAGE, error)
                            self.stat_update("failed")
                        yield doc
                        continue
                    doc.metadata[self.quality.table] = values
                    doc.metadata[self.quality.table + schemas.QUALITY_FAIL_SUFFIX] = reason
                    if reason:
                        self.stat_update(reason)
                        if live and self.drop:
                            mark_dropped(doc, STAGE, reason)
            yield doc
