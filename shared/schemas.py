"""The Parquet shard schemas, declared once.

Every stage reads and writes one of these datasets. A column name is written as a string only here; stages
import the constants. A stage adds columns to what it read and never drops a document silently (see ledger.py).

Bump SCHEMA_VERSION when a column changes meaning or type; it is stored in every shard's Parquet metadata and
checked on read, so a stage refuses shards written by an incompatible version instead of misreading them.
"""

from __future__ import annotations

import pyarrow as pa

SCHEMA_VERSION = "6"  # 3: furniture_chars; 4: page_ocr_confidence; 5: quality measurements, edu scores; 6: page_read_by
SCHEMA_METADATA_KEY = b"finepdfs.schema"

# --- column names -------------------------------------------------------------------------------------
ID = "id"
TEXT = "text"
MEDIA = "media"
SHA256 = "sha256"
SIZE_BYTES = "size_bytes"
URL = "url"
FILE_PATH = "file_path"
OFFSET = "offset"  # FinePDFs': byte offset of the PDF's record in its WARC file (file_path); null for PDF files
DATE = "date"
DUMP = "dump"
IS_TRUNCATED = "is_truncated"
SOURCE_KIND = "source_kind"  # "file", "warc" (a WARC record: a file's or a Common Crawl capture's) or "refetch"

# classify
OCR_PROB = "ocr_prob"
ROUTE = "route"  # "docling" or "ocr"
ROUTE_REASON = "route_reason"  # "model", "garbled_text", "forced"
PAGES_NEEDING_OCR = "pages_needing_ocr"
GARBLED_RATIO = "garbled_ratio"

# extraction
NUM_PAGES = "num_pages"
PAGE_ENDS = "page_ends"
EXTRACTOR = "extractor"
FAILED_PAGES = "failed_pages"
# characters of page furniture (running headers/footers, page numbers, publisher lines, margin stamps) removed
# from the text so far: by the extractor, then by filter's post-processing (each adds its own)
FURNITURE_CHARS = "furniture_chars"
PAGE_OCR_CONFIDENCE = "page_ocr_confidence"  # per page: the OCR engine's mean confidence in [0, 1]; null: not OCR'd
# per page of an OCR-routed document: what its text came from, the engine that read it ("tesseract", "rapidocr",
# "rolmocr") or PAGE_FROM_TEXT_LAYER (not routed to OCR in a mixed PDF, or kept by the per-page safety net over a
# poorer read); null for a failed page. Null for the text path's documents (EXTRACTOR names their one source).
PAGE_READ_BY = "page_read_by"
PAGE_FROM_TEXT_LAYER = "text_layer"

# filter
LANGUAGE = "language"  # ISO 639-3 + ISO 15924 script, FinePDFs' codes: eng_Latn, rus_Cyrl, zho_Hans (languages.py)
# the Hugging Face subset (config) a document belongs to, and its partition folder: its language, or
# "<language>_removed" when its language score is under that language's threshold (FinePDFs' removed subsets)
SUBSET = "subset"
FULL_DOC_LID = "full_doc_lid"
FULL_DOC_LID_SCORE = "full_doc_lid_score"
PAGE_AVERAGE_LID = "page_average_lid"
PAGE_AVERAGE_LID_SCORE = "page_average_lid_score"
PER_PAGE_LANGUAGES = "per_page_languages"

# filter: datatrove's quality rules as labels, not drops (FinePDFs drops nothing for them). Per filter, a struct
# column of its measurements (named after the filter's table in [filter]) and a string column with the first rule
# the document fails as datatrove names it (null: passes every rule). `df[df.gopher_quality_fail.isna()]`.
# Per filter: each datatrove threshold argument -> the measurement(s) datatrove compares with it, in the order it
# compares them ("{n}": each n of an (n, fraction) pair of top_n_grams / dup_n_grams). stages/filter/quality.py
QUALITY_MEASUREMENTS: dict[str, dict[str, tuple[str, ...]]] = {
    "gopher_quality": {
        "min_doc_words": ("words",),  # words with a character that is not punctuation
        "max_doc_words": ("words",),
        "min_avg_word_length": ("avg_word_length",),
        "max_avg_word_length": ("avg_word_length",),
        "max_symbol_word_ratio": ("hash_word_ratio", "ellipsis_word_ratio"),
        "max_bullet_lines_ratio": ("bullet_lines_ratio",),
        "max_ellipsis_lines_ratio": ("ellipsis_lines_ratio",),
        "max_non_alpha_words_ratio": ("alpha_words_ratio",),  # words with a letter / words (a minimum)
        "min_stop_words": ("stop_words",),
    },
    "gopher_repetition": {
        "dup_para_frac": ("dup_para_frac",),
        "dup_para_char_frac": ("dup_para_char_frac",),
        "dup_line_frac": ("dup_line_frac",),
        "dup_line_char_frac": ("dup_line_char_frac",),
        "top_n_grams": ("top_{n}_gram",),
        "dup_n_grams": ("duplicated_{n}_n_grams",),
    },
    "fineweb_quality": {
        "line_punct_thr": ("line_punct_ratio",),
        "short_line_thr": ("short_line_ratio",),
        "char_duplicates_ratio": ("char_dup_ratio",),
        "new_line_ratio": ("list_ratio",),
    },
}
# the n-gram sizes the repetition struct has fields for (datatrove's defaults; other sizes are not stored)
QUALITY_NGRAM_SIZES = {"top_n_grams": (2, 3, 4), "dup_n_grams": (5, 6, 7, 8, 9, 10)}
QUALITY_FAIL_SUFFIX = "_fail"


def quality_measurement_names(table: str) -> list[str]:
    """The fields of a quality filter's measurement struct, in datatrove's order."""
    names: list[str] = []
    for argument, measured in QUALITY_MEASUREMENTS[table].items():
        for name in measured:
            expanded = [name.format(n=n) for n in QUALITY_NGRAM_SIZES[argument]] if "{n}" in name else [name]
            names += [n for n in expanded if n not in names]
    return names


# filter: FinePDFs-Edu's educational-quality classifier (stages/filter/edu.py): the score of each chunk (start and
# end of the text) and their maximum, FinePDFs' document score; null when the classifier's weights were absent
EDU_SCORE = "edu_score"
EDU_CHUNK_SCORES = "edu_chunk_scores"
EDU_MODEL = "edu_model"  # the classifier that scored the document (its folder under models_dir)

# dedup
MINHASH_CLUSTER_ID = "minhash_cluster_id"
MINHASH_CLUSTER_SIZE = "minhash_cluster_size"

# tokenize
TOKEN_COUNT = "token_count"

# errors / drops
STAGE = "stage"
ERROR_CLASS = "error_class"
ERROR_MESSAGE = "error_message"
DROP_REASON = "reason"
SOURCE = "source"
DETAILS = "details"  # JSON: what decided a drop (scores and thresholds, the copy kept), for `finepdfs show`

ROUTE_DOCLING = "docling"
ROUTE_OCR = "ocr"

# A datatrove Media as a Parquet struct (its free-form metadata dict is not stored).
MEDIA_STRUCT = pa.struct(
    [
        ("id", pa.string()),
        ("type", pa.int32()),
        ("url", pa.string()),
        ("path", pa.string()),
        ("offset", pa.int64()),
        ("length", pa.int64()),
        ("media_bytes", pa.large_binary()),
    ]
)

# --- datasets -----------------------------------------------------------------------------------------
_PROVENANCE = [
    pa.field(SHA256, pa.string(), nullable=False),
    pa.field(SIZE_BYTES, pa.int64(), nullable=False),
    pa.field(URL, pa.string()),
    pa.field(FILE_PATH, pa.string()),
    pa.field(OFFSET, pa.int64()),
    pa.field(DATE, pa.string()),
    pa.field(DUMP, pa.string()),
    pa.field(SOURCE_KIND, pa.string(), nullable=False),
    pa.field(IS_TRUNCATED, pa.bool_(), nullable=False),
]

RAW_PDFS = pa.schema(
    [
        pa.field(ID, pa.string(), nullable=False),
        pa.field(TEXT, pa.string(), nullable=False),  # empty: the PDF is still bytes
        pa.field(MEDIA, pa.list_(MEDIA_STRUCT), nullable=False),
        *_PROVENANCE,
    ]
)
"""ingest -> classify: one row per unique PDF, its bytes in media[0].media_bytes."""

ROUTED_PDFS = pa.schema(
    [
        *RAW_PDFS,
        pa.field(NUM_PAGES, pa.int32()),
        pa.field(OCR_PROB, pa.float32()),
        pa.field(ROUTE, pa.string(), nullable=False),
        pa.field(ROUTE_REASON, pa.string(), nullable=False),
        pa.field(GARBLED_RATIO, pa.float32()),
        pa.field(PAGES_NEEDING_OCR, pa.list_(pa.int32())),
    ]
)
"""classify -> extract-docling / ocr: RAW_PDFS plus the routing decision."""

_DOC_BASE = [
    pa.field(ID, pa.string(), nullable=False),
    pa.field(TEXT, pa.string(), nullable=False),
    *_PROVENANCE,
    pa.field(NUM_PAGES, pa.int32(), nullable=False),
    pa.field(PAGE_ENDS, pa.list_(pa.int64()), nullable=False),
    pa.field(EXTRACTOR, pa.string(), nullable=False),
    pa.field(FAILED_PAGES, pa.list_(pa.int32())),
    pa.field(FURNITURE_CHARS, pa.int64()),
    pa.field(PAGE_OCR_CONFIDENCE, pa.list_(pa.float32())),  # null for text-layer extraction
    pa.field(PAGE_READ_BY, pa.list_(pa.string())),
    pa.field(ROUTE, pa.string()),
    pa.field(OCR_PROB, pa.float32()),
    pa.field(ROUTE_REASON, pa.string()),  # classify's decision travels with the text to the final dataset
    pa.field(GARBLED_RATIO, pa.float32()),
    pa.field(PAGES_NEEDING_OCR, pa.list_(pa.int32())),
]

DOCUMENTS = pa.schema(_DOC_BASE)
"""extract-docling / ocr -> filter: text with page_ends[i] = end offset (exclusive) of page i in text."""

_LID = [
    pa.field(LANGUAGE, pa.string(), nullable=False),
    pa.field(SUBSET, pa.string(), nullable=False),
    pa.field(FULL_DOC_LID, pa.string()),
    pa.field(FULL_DOC_LID_SCORE, pa.float32()),
    pa.field(PAGE_AVERAGE_LID, pa.string()),
    pa.field(PAGE_AVERAGE_LID_SCORE, pa.float32()),
    pa.field(PER_PAGE_LANGUAGES, pa.list_(pa.string())),
]
_QUALITY = [
    field
    for table in QUALITY_MEASUREMENTS
    for field in (
        pa.field(table, pa.struct([(name, pa.float64()) for name in quality_measurement_names(table)])),
        pa.field(table + QUALITY_FAIL_SUFFIX, pa.string()),
    )
] + [
    pa.field(EDU_SCORE, pa.float32()),
    pa.field(EDU_CHUNK_SCORES, pa.list_(pa.float32())),
    pa.field(EDU_MODEL, pa.string()),
]
FILTERED_DOCUMENTS = pa.schema([*_DOC_BASE, *_LID, *_QUALITY])
"""filter -> dedup: language-tagged documents with their quality measurements and edu score, per subset."""

_DEDUP = [
    pa.field(MINHASH_CLUSTER_ID, pa.int64()),
    pa.field(MINHASH_CLUSTER_SIZE, pa.int32()),
]
DEDUPED_DOCUMENTS = pa.schema([*_DOC_BASE, *_LID, *_QUALITY, *_DEDUP])
"""dedup -> tokenize."""

FINAL_DOCUMENTS = pa.schema([*_DOC_BASE, *_LID, *_QUALITY, *_DEDUP, pa.field(TOKEN_COUNT, pa.int64(), nullable=False)])
"""tokenize -> the released dataset (FinePDFs' column set plus our provenance columns)."""

ERRORS = pa.schema(
    [
        pa.field(ID, pa.string(), nullable=False),
        pa.field(STAGE, pa.string(), nullable=False),
        pa.field(ERROR_CLASS, pa.string(), nullable=False),
        pa.field(ERROR_MESSAGE, pa.string(), nullable=False),
        pa.field(SOURCE, pa.string()),
    ]
)
"""Documents a stage could not process: one row each, the shard still completes."""

DROPS = pa.schema(
    [
        pa.field(ID, pa.string(), nullable=False),
        pa.field(STAGE, pa.string(), nullable=False),
        pa.field(DROP_REASON, pa.string(), nullable=False),
        pa.field(SOURCE, pa.string()),
        pa.field(DETAILS, pa.string()),
    ]
)
"""Documents a stage removed on purpose (duplicate, filtered): one row each with the reason."""

DATASETS: dict[str, pa.Schema] = {
    "raw_pdfs": RAW_PDFS,
    "routed_pdfs": ROUTED_PDFS,
    "documents": DOCUMENTS,
    "filtered_documents": FILTERED_DOCUMENTS,
    "deduped_documents": DEDUPED_DOCUMENTS,
    "final_documents": FINAL_DOCUMENTS,
    "errors": ERRORS,
    "drops": DROPS,
}


# How a dataset is split into sub-folders (``<value>/<rank>.parquet``): classify's routes, the languages.
PARTITION_BY: dict[str, str] = {
    "routed_pdfs": ROUTE,
    "filtered_documents": SUBSET,
    "deduped_documents": SUBSET,
    "final_documents": SUBSET,
}

# The published FinePDFs columns, in their order (HuggingFaceFW/finepdfs): the release writes these first, with
# these types, then ours. Meanings: shared/README or the release's dataset card.
FINEPDFS_COLUMNS: tuple[tuple[str, pa.DataType], ...] = (
    (TEXT, pa.string()),
    (ID, pa.string()),
    (DUMP, pa.string()),
    (URL, pa.string()),
    (DATE, pa.string()),
    (FILE_PATH, pa.string()),
    (OFFSET, pa.int64()),
    (TOKEN_COUNT, pa.int64()),
    (LANGUAGE, pa.string()),
    (PAGE_AVERAGE_LID, pa.string()),
    (PAGE_AVERAGE_LID_SCORE, pa.float64()),
    (FULL_DOC_LID, pa.string()),
    (FULL_DOC_LID_SCORE, pa.float64()),
    (PER_PAGE_LANGUAGES, pa.list_(pa.string())),
    (IS_TRUNCATED, pa.bool_()),
    (EXTRACTOR, pa.string()),
    (PAGE_ENDS, pa.list_(pa.int64())),
)


# ingest's refetch store (not a dataset of the pipeline: the hash step keeps what it fetched again for the read
# step, OUTPUT/_hashes/refetched/<rank>.parquet): one row per capture Common Crawl truncated, in capture order.
REFETCH_INPUT = "input"  # the index file (its number in the listing)
REFETCH_ENTRY = "entry"  # the row in that index file
REFETCH_OUTCOME = "outcome"  # "pdf", "not_pdf" or "failed"
REFETCH_STATUS = "http_status"  # the last HTTP status seen (null: none, a network error)
REFETCH_FINAL_URL = "final_url"  # where the redirects ended
REFETCH_BYTES = "bytes"
REFETCHED = pa.schema(
    [
        pa.field(REFETCH_INPUT, pa.uint32(), nullable=False),
        pa.field(REFETCH_ENTRY, pa.uint32(), nullable=False),
        pa.field(URL, pa.string(), nullable=False),
        pa.field(REFETCH_OUTCOME, pa.string(), nullable=False),
        pa.field(REFETCH_STATUS, pa.int32()),
        pa.field(REFETCH_FINAL_URL, pa.string()),
        pa.field(ERROR_CLASS, pa.string()),
        pa.field(ERROR_MESSAGE, pa.string()),
        pa.field(REFETCH_BYTES, pa.large_binary()),
    ]
)

# Datasets whose media hold a reference to the bytes ingest stored (shared/pdf_bytes.py), not the bytes.
MEDIA_BY_REFERENCE = frozenset({"routed_pdfs"})


def with_version(schema: pa.Schema, dataset: str) -> pa.Schema:
    """The schema as written to disk: tagged with dataset name and version."""
    return schema.with_metadata({SCHEMA_METADATA_KEY: f"{dataset}/{SCHEMA_VERSION}".encode()})


def dataset_name(schema: pa.Schema) -> str:
    for name, known in DATASETS.items():
        if known.equals(schema, check_metadata=False):
            return name
    raise KeyError("schema is not one of shared.schemas.DATASETS")


def check_compatible(file_schema: pa.Schema, expected: pa.Schema, where: str) -> None:
    """Raise if a shard on disk lacks a column the reader needs, or was written by another schema version."""
    tag = (file_schema.metadata or {}).get(SCHEMA_METADATA_KEY, b"").decode()
    if tag and tag.split("/")[-1] != SCHEMA_VERSION:
        raise ValueError(f"{where}: written with schema {tag}, this code reads version {SCHEMA_VERSION}")
    missing = [f.name for f in expected if f.name not in file_schema.names]
    if missing:
        raise ValueError(f"{where}: missing columns {missing} (is this the right --input for this stage?)")
