"""Language codes and the word tokenizer each language gets (quality filters and MinHash shingles share it).

Languages are FinePDFs' codes everywhere (columns, partition folders, thresholds, the report): ISO 639-3 plus
the ISO 15924 script, as GlotLID (FinePDFs' language ID) labels them: ``eng_Latn``, ``rus_Cyrl``, ``cmn_Hani``.
GlotLID's labels are used as they are; fastText lid.176 (the offline default) says ``en``, ``zh``, ``sr``, and
``finepdfs_code`` turns those into the same codes, from two kept libraries rather than a table of our own:

- datatrove's word-tokenizer assignment table (``tokenizer_assignment.csv``, the GlotLID code set FineWeb2 and
  FinePDFs use) says which ISO 639-3 language and script a 2-letter code defaults to: ``zh`` + Han script ->
  ``cmn_Hani`` (GlotLID labels Mandarin, not the macrolanguage), ``ar`` -> ``arb_Arab``, ``fa`` -> ``fas_Arab``,
  ``ms`` -> ``zsm_Latn``, ``et`` -> ``ekk_Latn``, ``sr`` -> ``srp_Cyrl`` or ``srp_Latn``;
- ``langcodes`` (CLDR data) normalises deprecated and odd labels (``iw`` -> ``he``, ``sh`` -> Serbian in Latin
  script) and gives the ISO 639-3 code and CLDR's likely script of the rest (``tl`` -> ``tgl_Latn``).

Languages written in more than one script need the text: ``sr`` (Cyrillic or Latin), ``uz``, ``az``, ``ku``, ``pa``,
``sd``, ``zh`` written in pinyin. The script is the one most of the text's letters are in, among the scripts the
table knows for that language; text in none of them falls back to the language's default script. Chinese is
``Hani`` for Simplified and Traditional alike (GlotLID does not tell them apart; CLDR's likely script ``Hans``
would be wrong for Traditional text). Labels CLDR has no likely script for and the table does not know (lid.176's
``eml``, ``nah``, ``cbk``, ``xal``, ``azb`` is known) take the script of the text.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from functools import cache, lru_cache

from datatrove.utils.logging import logger

UNKNOWN_LANGUAGE = "unknown"
REMOVED_SUFFIX = "_removed"  # FinePDFs' subsets of documents under their language's threshold: eng_Latn_removed
UNKNOWN_SCRIPT = "Zyyy"  # ISO 15924 "undetermined": no letters to tell
_CODE = re.compile(r"^[a-z]{2,3}_[A-Z][a-z]{3}$")
SAMPLE_LETTERS = 2000  # letters looked at to find a text's script

# ISO 15924 scripts that stand for several Unicode scripts (CLDR's likely scripts of CJK languages).
COMPOUND_SCRIPTS = {"Jpan": ("Hani", "Hira", "Kana"), "Kore": ("Hang", "Hani"), "Hans": ("Hani",),
                    "Hant": ("Hani",), "Hanb": ("Hani", "Bopo")}
# Unicode script names (as the `regex` module knows them) by ISO 15924 code, for the scripts a text is tested for.
_SCRIPT_NAMES = {
    "Latn": "Latin", "Cyrl": "Cyrillic", "Arab": "Arabic", "Grek": "Greek", "Hebr": "Hebrew", "Hani": "Han",
    "Hira": "Hiragana", "Kana": "Katakana", "Hang": "Hangul", "Deva": "Devanagari", "Beng": "Bengali",
    "Guru": "Gurmukhi", "Gujr": "Gujarati", "Orya": "Oriya", "Taml": "Tamil", "Telu": "Telugu", "Knda": "Kannada",
    "Mlym": "Malayalam", "Sinh": "Sinhala", "Thai": "Thai", "Laoo": "Lao", "Khmr": "Khmer", "Mymr": "Myanmar",
    "Tibt": "Tibetan", "Geor": "Georgian", "Armn": "Armenian", "Ethi": "Ethiopic", "Mong": "Mongolian",
    "Thaa": "Thaana", "Syrc": "Syriac", "Tfng": "Tifinagh", "Cher": "Cherokee", "Cans": "Canadian_Aboriginal",
    "Java": "Javanese", "Bopo": "Bopomofo", "Olck": "Ol_Chiki", "Nkoo": "Nko", "Yiii": "Yi", "Copt": "Coptic",
}


def is_code(label: str) -> bool:
    """Already a FinePDFs / GlotLID code (``eng_Latn``)."""
    return bool(_CODE.match(label))


def subset_name(language: str, removed: bool = False) -> str:
    """The Hugging Face subset (and partition folder) of a document: its language, or ``<language>_removed``."""
    return f"{language}{REMOVED_SUFFIX}" if removed else language


def subset_language(subset: str) -> str:
    """The language of a subset name (``eng_Latn_removed`` -> ``eng_Latn``)."""
    return subset[: -len(REMOVED_SUFFIX)] if subset.endswith(REMOVED_SUFFIX) else subset


def code_script(code: str) -> str | None:
    """The script part of a code (``cmn_Hani`` -> ``Hani``)."""
    code = subset_language(code)
    return code.split("_", 1)[1] if is_code(code) else None


@lru_cache(maxsize=65536)
def char_script(char: str) -> str | None:
    """ISO 15924 code of a letter's Unicode script among the scripts we test for (None: another or none)."""
    import regex

    for code, name in _SCRIPT_NAMES.items():
        if regex.match(rf"\p{{Script={name}}}", char):
            return code
    return None


def script_name(code: str) -> str:
    """The Unicode name of an ISO 15924 script code (``Cyrl`` -> ``Cyrillic``); the code itself when unknown."""
    return _SCRIPT_NAMES.get(code, code)


def text_scripts(text: str, letters: int = SAMPLE_LETTERS) -> Counter:
    """How many of the text's first ``letters`` letters are in each script."""
    counts: Counter = Counter()
    seen = 0
    for char in text:
        if not char.isalpha():
            continue
        script = char_script(char)
        if script:
            counts[script] += 1
        seen += 1
        if seen >= letters:
            break
    return counts


def _script_weight(script: str, scripts: Counter) -> int:
    return sum(scripts.get(part, 0) for part in COMPOUND_SCRIPTS.get(script, (script,)))


@cache
def _assignments() -> dict[str, list[tuple[str, str, bool, bool]]]:
    """datatrove's table: 2- or 3-letter code -> [(ISO 639-3, script, default for the 2-letter code, default
    script of the language)]."""
    from datatrove.utils.word_tokenizers import ASSETS_PATH

    table: dict[str, list[tuple[str, str, bool, bool]]] = {}
    with open(f"{ASSETS_PATH}/tokenizer_assignment.csv") as f:
        for row in csv.DictReader(f):
            entry = (row["code_3"], row["script"], row["default_code_1"] == "TRUE", row["default_script"] == "TRUE")
            table.setdefault(row["code_3"], []).append(entry)
            if row["code_1"]:
                table.setdefault(row["code_1"], []).append(entry)
    return table


def _pick_script(candidates: list[str], default: str | None, scripts: Counter | None) -> str | None:
    """The candidate script most of the text's letters are in; else the default."""
    if scripts:
        weights = {s: _script_weight(s, scripts) for s in candidates}
        best = max(weights, key=weights.get) if weights else None
        if best and weights[best] > 0:
            return best
    return default


@lru_cache(maxsize=4096)
def _code(label: str, scripts: tuple[tuple[str, int], ...] | None) -> str:
    import langcodes

    if is_code(label):
        return label
    try:
        tag = langcodes.Language.get(label.replace("_", "-"))
    except (ValueError, LookupError):
        return label
    language, explicit = tag.language or label, tag.script
    counts = Counter(dict(scripts)) if scripts is not None else None
    alpha3 = tag.to_alpha3()
    rows = _assignments().get(language) or _assignments().get(alpha3, [])
    if rows:
        by_script = {}
        for code_3, script, default_code_1, default_script in rows:
            # per script: the individual language GlotLID labels for a 2-letter code (default_code_1), else the
            # code's own ISO 639-3 language (a macrolanguage: zho), else the one written in it by default
            key = (not default_code_1, code_3 != alpha3, not default_script)
            if script not in by_script or key < by_script[script][1]:
                by_script[script] = (code_3, key)
        default = min(by_script, key=lambda s: by_script[s][1])
        script = explicit if explicit in by_script else _pick_script(list(by_script), default, counts)
        return f"{by_script[script][0]}_{script}"
    script = explicit
    if script is None:
        from langcodes.data_dicts import LIKELY_SUBTAGS

        likely = tag.maximize().script if language in LIKELY_SUBTAGS else None
        if counts:
            everything = list(_SCRIPT_NAMES)
            script = _pick_script(everything, likely, counts)
        else:
            script = likely
    return f"{alpha3}_{script or UNKNOWN_SCRIPT}"


def finepdfs_code(label: str, scripts: Counter | None = None) -> str:
    """A language ID label as a FinePDFs code. ``scripts``: the text's letters per script (``text_scripts``), for
    languages written in several scripts; without it, the language's default script."""
    if not label or label == UNKNOWN_LANGUAGE:
        return UNKNOWN_LANGUAGE
    key = tuple(sorted(scripts.items())) if scripts is not None else None
    return _code(label, key)


def normalize_code(code: str) -> str:
    """A code from a config file or flag (``eng_Latn``, or an old 2-letter ``en``) as a FinePDFs code."""
    if code.endswith(REMOVED_SUFFIX):
        return subset_name(normalize_code(subset_language(code)), removed=True)
    return finepdfs_code(code)


def language_name(code: str) -> str:
    """English name of a code for people (``eng_Latn`` -> "English (Latin)"), best effort."""
    import langcodes

    language = subset_language(code)
    parts = language.split("_", 1)
    try:
        name = langcodes.Language.get(parts[0]).display_name()
    except (ValueError, LookupError, ImportError):  # names need the language-data package
        return code
    if len(parts) > 1:
        script_name = _SCRIPT_NAMES.get(parts[1], parts[1]).replace("_", " ")
        name = f"{name} ({script_name})"
    return name + (" - removed (under the language's threshold)" if code.endswith(REMOVED_SUFFIX) else "")


@cache
def word_tokenizer(language: str):
    """datatrove's word tokenizer for ``language`` (a FinePDFs code, or a subset: ``eng_Latn_removed`` gets
    English's), from spaCy blank pipelines, no downloads; probed once.

    Languages without an assignment, or whose tokenizer needs a package this image lacks (SudachiPy for
    Japanese, pythainlp for Thai, ...), fall back to datatrove's multilingual whitespace tokenizer with a warning:
    shingles and word counts stay meaningful for space-separated scripts and degrade gracefully elsewhere.
    """
    from datatrove.utils.word_tokenizers import WhitespaceTokenizer, load_word_tokenizer

    try:
        tokenizer = load_word_tokenizer(subset_language(language))
        tokenizer.word_tokenize("probe text")
        return tokenizer
    except Exception as error:  # noqa: BLE001 - any failure means: use the fallback
        logger.warning(f"no word tokenizer for language {language!r} ({type(error).__name__}: {error}); "
                       "using the multilingual whitespace tokenizer")
        return WhitespaceTokenizer()
