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


def _drop(name: str, description: str, family: bool = False) -> str:
    return _declare(DROPS, name, description, family)


# --- errors: the input could not be processed -------------------------------------------------------------
class StageError(Exception):
    """A document failed for a declared reason. Each subclass below is one error class, and its name is what
    the ``error_class`` column holds: stages raise them (``raise CorruptPdf("why")``) or hand one to
    ``ledger.mark_failed``; nothing matches errors by name. Declared here only (tests/test_outcomes.py)."""

    description = ""

    def __init__(self, message: str = ""):
        if type(self) is StageError:
            raise TypeError("StageError is the base: raise one of its declared subclasses (shared/outcomes.py)")
        super().__init__(message)

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        ERRORS[cls.__name__] = Outcome(cls.__name__, cls.description)

    @property
    def error_class(self) -> str:
        return type(self).__name__

    def __reduce__(self):  # picklable across worker processes
        return (type(self), (str(self),))


class EmptyFile(StageError):
    description = "the file has zero bytes"


class NotAPdf(StageError):
    description = "no %PDF- header in the first KiB"


class PdfTooLarge(StageError):
    description = "the PDF is larger than the stage's byte bound"


class UnreadableFile(StageError):
    description = "the input file could not be read"


class UnreadableArchive(StageError):
    description = ("bytes of a WARC file that hold no readable record (one row per unreadable part; the records "
                   "after it are still read)")


class NotARegularFile(StageError):
    description = "an input name that is a FIFO, socket or device, not a file: never opened"


class BrokenLink(StageError):
    description = "a symbolic link with an input name whose target is missing, or that loops"


class CorruptPdf(StageError):
    description = "the PDF cannot be opened, or no page of it can be read"


class EncryptedPdf(StageError):
    description = "the PDF needs a password"


class ZeroPages(StageError):
    description = "the PDF has no pages"


class TooManyPages(StageError):
    description = "the PDF has more pages than the stage's page bound"


class MissingPdfBytes(StageError):
    description = "the row carries no PDF bytes and no readable reference to them"


class AllPagesFailed(StageError):
    description = "no page of the PDF could be read"


class TooManyFailedPages(StageError):
    description = ("more of the PDF's pages failed than the stage's budget allows ([ocr] max_failed_page_ratio): a "
                   "partial document is not passed off as whole")


class WorkerTimeout(StageError):
    description = "the document took longer than its time limit; its worker was killed"


class WorkerCrashed(StageError):
    description = "the worker process died on the document (native crash, out of memory)"


class MemoryLimitExceeded(StageError):
    description = "the document needed more memory than the worker's cap"


class FetchFailed(StageError):
    description = ("a capture Common Crawl truncated could not be fetched again from its URL (the HTTP status or "
                   "network error is in the message); it is counted, not shipped cut")


class BadPageEnds(StageError):
    description = "page_ends do not tile the text: the extractor wrote inconsistent offsets"


class UnexpectedError(StageError):
    """Any other exception (a bug): ``of_exception`` wraps it, keeping its class name in the message."""

    description = "an exception the stage does not expect (a bug): see the message"

    def __init__(self, message: str, original: str = ""):
        super().__init__(message)
        self.original = original  # the class of the exception it wraps

    def __reduce__(self):
        return (UnexpectedError, (str(self), self.original))


# The error classes' names, for the columns and the tests that read them.
EMPTY_FILE, NOT_A_PDF, PDF_TOO_LARGE = EmptyFile.__name__, NotAPdf.__name__, PdfTooLarge.__name__
UNREADABLE_FILE, UNREADABLE_ARCHIVE = UnreadableFile.__name__, UnreadableArchive.__name__
NOT_A_REGULAR_FILE, BROKEN_LINK = NotARegularFile.__name__, BrokenLink.__name__
CORRUPT_PDF, ENCRYPTED_PDF, ZERO_PAGES = CorruptPdf.__name__, EncryptedPdf.__name__, ZeroPages.__name__
TOO_MANY_PAGES, MISSING_PDF_BYTES = TooManyPages.__name__, MissingPdfBytes.__name__
TOO_MANY_FAILED_PAGES = TooManyFailedPages.__name__
ALL_PAGES_FAILED, BAD_PAGE_ENDS, FETCH_FAILED = AllPagesFailed.__name__, BadPageEnds.__name__, FetchFailed.__name__
WORKER_TIMEOUT, WORKER_CRASHED = WorkerTimeout.__name__, WorkerCrashed.__name__
MEMORY_LIMIT_EXCEEDED, UNEXPECTED_ERROR = MemoryLimitExceeded.__name__, UnexpectedError.__name__

# --- drops: the document was removed on purpose ---------------------------------------------------------
DUPLICATE_PDF_BYTES = _drop("duplicate_pdf_bytes", "the same PDF bytes (sha256) came earlier")
CAPTURE_NOT_PDF = _drop("capture_not_pdf", "a Common Crawl capture the index names a PDF (MIME type or .pdf URL) "
                        "whose bytes are not one (no %PDF- header: an HTML page, a redirect, an empty body)")
EMPTY_TEXT = _drop("empty_text", "no text left after post-processing")
LID_NO_TEXT = _drop("lid_no_text", "too few letters for language identification")
LID_LOW_SCORE = _drop("lid_low_score", "the language score is under that language's threshold")
LID_LANGUAGE_NOT_KEPT = _drop("lid_language_not_kept", "a language the run does not keep ([filter] languages)")
EXACT_TEXT_DUPLICATE = _drop("exact_text_duplicate", "the same text (whitespace ignored) in the same language")
MINHASH_DUPLICATE = _drop("minhash_duplicate", "a near duplicate (MinHash) of a document that was kept")
# the quality rules drop only with [filter] quality_action = "drop" (by default they are columns, as in FinePDFs)
GOPHER_QUALITY = _drop("gopher", "a rule of datatrove's GopherQualityFilter (quality_action = drop)", family=True)
GOPHER_REPETITION = _drop("gopher_rep", "a rule of datatrove's GopherRepetitionFilter (quality_action = drop)",
                          family=True)
FINEWEB_QUALITY = _drop("fineweb", "a rule of datatrove's FineWebQualityFilter (quality_action = drop)", family=True)

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


def of_exception(error: BaseException) -> StageError:
    """The declared error of any exception raised while processing a document: ours as it is, a MemoryError
    as MemoryLimitExceeded, anything else as UnexpectedError (its class kept in the message)."""
    if isinstance(error, StageError):
        return error
    message = str(error) or repr(error)
    if isinstance(error, MemoryError):
        return MemoryLimitExceeded(message)
    return UnexpectedError(f"{type(error).__name__}: {message}", type(error).__name__)


def classify_exception(error: BaseException) -> tuple[str, str]:
    """(declared error class, message) for any exception raised while processing a document."""
    declared = of_exception(error)
    return declared.error_class, str(declared) or repr(declared)
