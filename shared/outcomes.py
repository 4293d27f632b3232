"""Why a document did not come out of a stage: every error class and drop reason, declared once.

A stage that fails a document names one of ``ERRORS`` (``ledger.mark_failed``); one that drops a document names
one of ``DROPS`` (``ledger.mark_dropped``). Both refuse a name that is not declared here, so the ledger, the
errors and drops datasets, the run report and the tests all speak the same words. An exception that is not one
of ours becomes ``UnexpectedError`` (its own class is kept in the message): a bug to fix, not a new category.

Quality filters built from datatrove's filters drop with reasons of their own (``gopher_short_doc``, ...): those
are declared as families, by prefix.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    name: str
    description: str
    family: bool = False  # a prefix: "<name>_<detail>" reasons belong to it


ERRORS: dict[str, Outcome] = {}
DROPS: dict[str, Outcome] = {}


def _declare(table: dict[str, Outcome], name: str, description: str, family: bool = False) -> str:
    table[name] = Outcome(name, description, family)
    return name


def _error(name: str, description: str) -> str:
    return _declare(ERRORS, name, description)


def _drop(name: str, description: str, family: bool = False) -> str:
    return _declare(DROPS, name, description, family)


# --- errors: the input could not be processed -------------------------------------------------------------
EMPTY_FILE = _error("EmptyFile", "the file has zero bytes")
NOT_A_PDF = _error("NotAPdf", "no %PDF- header in the first KiB")
PDF_TOO_LARGE = _error("PdfTooLarge", "the PDF is larger than the stage's byte bound")
UNREADABLE_FILE = _error("UnreadableFile", "the input file could not be read")
UNREADABLE_ARCHIVE = _error("UnreadableArchive", "bytes of a WARC file that hold no readable record (one row per "
                            "unreadable part; the records after it are still read)")
NOT_A_REGULAR_FILE = _error("NotARegularFile", "an input name that is a FIFO, socket or device, not a file: "
                            "never opened")
BROKEN_LINK = _error("BrokenLink", "a symbolic link with an input name whose target is missing, or that loops")
CORRUPT_PDF = _error("CorruptPdf", "the PDF cannot be opened, or no page of it can be read")
ENCRYPTED_PDF = _error("EncryptedPdf", "the PDF needs a password")
ZERO_PAGES = _error("ZeroPages", "the PDF has no pages")
TOO_MANY_PAGES = _error("TooManyPages", "the PDF has more pages than the stage's page bound")
MISSING_PDF_BYTES = _error("MissingPdfBytes", "the row carries no PDF bytes and no readable reference to them")
ALL_PAGES_FAILED = _error("AllPagesFailed", "no page of the PDF could be read")
TOO_MANY_FAILED_PAGES = _error("TooManyFailedPages", "more of the PDF's pages failed than the stage's budget "
                               "allows ([ocr] max_failed_page_ratio): a partial document is not passed off as whole")
WORKER_TIMEOUT = _error("WorkerTimeout", "the document took longer than its time limit; its worker was killed")
WORKER_CRASHED = _error("WorkerCrashed", "the worker process died on the document (native crash, out of memory)")
MEMORY_LIMIT_EXCEEDED = _error("MemoryLimitExceeded", "the document needed more memory than the worker's cap")
BAD_PAGE_ENDS = _error("BadPageEnds", "page_ends do not tile the text: the extractor wrote inconsistent offsets")
UNEXPECTED_ERROR = _error("UnexpectedError", "an exception the stage does not expect (a bug): see the message")

# --- drops: the document was removed on purpose ---------------------------------------------------------
DUPLICATE_PDF_BYTES = _drop("duplicate_pdf_bytes", "the same PDF bytes (sha256) came earlier")
EMPTY_TEXT = _drop("empty_text", "no text left after post-processing")
LID_NO_TEXT = _drop("lid_no_text", "too few letters for language identification")
LID_LOW_SCORE = _drop("lid_low_score", "the language score is under that language's threshold")
LID_LANGUAGE_NOT_KEPT = _drop("lid_language_not_kept", "a language the run does not keep ([filter] languages)")
EXACT_TEXT_DUPLICATE = _drop("exact_text_duplicate", "the same text (whitespace ignored) in the same language")
MINHASH_DUPLICATE = _drop("minhash_duplicate", "a near duplicate (MinHash) of a document that was kept")
GOPHER_QUALITY = _drop("gopher", "a rule of datatrove's GopherQualityFilter", family=True)
GOPHER_REPETITION = _drop("gopher_rep", "a rule of datatrove's GopherRepetitionFilter", family=True)
FINEWEB_QUALITY = _drop("fineweb", "a rule of datatrove's FineWebQualityFilter", family=True)

DUPLICATE_REASONS = frozenset({DUPLICATE_PDF_BYTES, EXACT_TEXT_DUPLICATE, MINHASH_DUPLICATE})


def _lookup(table: dict[str, Outcome], name: str) -> Outcome | None:
    if name in table:
        return table[name]
    families = [o for o in table.values() if o.family and name.startswith(o.name + "_")]
    return max(families, key=lambda o: len(o.name)) if families else None


def error_outcome(name: str) -> Outcome | None:
    return _lookup(ERRORS, name)


def drop_outcome(name: str) -> Outcome | None:
    return _lookup(DROPS, name)


def check_error(name: str) -> str:
    if error_outcome(name) is None:
        raise ValueError(f"error class {name!r} is not declared in shared/outcomes.py")
    return name


def check_drop(name: str) -> str:
    if drop_outcome(name) is None:
        raise ValueError(f"drop reason {name!r} is not declared in shared/outcomes.py")
    return name


def describe(name: str) -> str:
    """The description of an error class or drop reason ('' when unknown, e.g. in an old run folder)."""
    outcome = error_outcome(name) or drop_outcome(name)
    return outcome.description if outcome else ""


class StageError(Exception):
    """An exception that names its declared error class: ``raise StageError(CORRUPT_PDF, "why")``."""

    def __init__(self, error_class: str, message: str):
        super().__init__(message)
        self.error_class = check_error(error_class)

    def __reduce__(self):  # picklable across worker processes
        return (StageError, (self.error_class, str(self)))


def classify_exception(error: BaseException) -> tuple[str, str]:
    """(declared error class, message) for any exception raised while processing a document."""
    message = str(error) or repr(error)
    declared = getattr(error, "error_class", None) or type(error).__name__
    if error_outcome(declared) is not None:
        return declared, message
    if isinstance(error, MemoryError):
        return MEMORY_LIMIT_EXCEEDED, message
    return UNEXPECTED_ERROR, f"{type(error).__name__}: {message}"
