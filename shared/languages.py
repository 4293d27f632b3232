"""Language codes and the word tokenizer each language gets (quality filters and MinHash shingles share it)."""

from __future__ import annotations

from functools import cache

from datatrove.utils.logging import logger

UNKNOWN_LANGUAGE = "unknown"


@cache
def word_tokenizer(language: str):
    """datatrove's word tokenizer for ``language`` (spaCy blank pipelines, no downloads), probed once.

    Languages without an assignment, or whose tokenizer needs a package this image lacks (SudachiPy for
    Japanese, pythainlp for Thai, ...), fall back to datatrove's multilingual whitespace tokenizer with a warning:
    shingles and word counts stay meaningful for space-separated scripts and degrade gracefully elsewhere.
    """
    from datatrove.utils.word_tokenizers import WhitespaceTokenizer, load_word_tokenizer

    try:
        tokenizer = load_word_tokenizer(language)
        tokenizer.word_tokenize("probe text")
        return tokenizer
    except Exception as error:  # noqa: BLE001 - any failure means: use the fallback
        logger.warning(f"no word tokenizer for language {language!r} ({type(error).__name__}: {error}); "
                       "using the multilingual whitespace tokenizer")
        return WhitespaceTokenizer()
