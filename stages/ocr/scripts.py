"""Writing systems: the names Tesseract's OSD gives, the model that reads each, and the Debian packages that
ship those models.

What the CPU OCR path needs from Debian is listed once, in the ocr stage's contract (stages/ocr/stage.toml
apt_packages): the ocr image installs it (images/stage/Dockerfile's APT_PACKAGES, from the registry), and so
does scripts/services.d/ocr.sh on a fresh machine (`scripts/just run` / `scripts/just test`). Debian's
``tesseract-ocr-script-*`` packs each read a whole script (every language written in it) and install as
``<Script>.traineddata``.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

from shared import registry
from textkit.bidi import BIDI_MARKS

APT_PACKAGES = registry.get("ocr").apt_packages

DEBIAN_TESSDATA = "/usr/share/tesseract-ocr/5/tessdata"
DEFAULT_SCRIPT = "Latin"
MIN_ORIENTATION_CONF = 2.0  # OSD's orientation confidence under which a page is left as it is

# OSD script name -> the family the stage routes on (the others keep their name, e.g. Bengali, Thai)
_FROM_OSD = {
    "Hiragana": "Japanese", "Katakana": "Japanese", "Japanese": "Japanese",
    "Han": "Han", "Korean": "Hangul", "Hangul": "Hangul",
    "Common": DEFAULT_SCRIPT, "Inherited": DEFAULT_SCRIPT, "NULL": DEFAULT_SCRIPT,
}
# family -> script pack (.traineddata name) where the two differ
_PACK = {"Han": "HanS", "Canadian_Aboriginal": "Canadian_Aboriginal"}
# packs that read their script only: Latin is added, for the Latin names, commands and URLs such pages hold
# (measured: Cyrillic pages of TeX manuals 0.79 -> 0.96). Not for Arabic: with Latin beside it, Tesseract reads
# Arabic words as Latin garbage (clean Amiri pages 0.92 -> 0.88, 0.84 -> 0.76).
_WITH_LATIN = ("Cyrillic", "Greek", "Hebrew", "Devanagari", "Hangul", "HanS", "HanT", "Japanese")
RTL_SCRIPTS = ("Arabic", "Hebrew", "Syriac", "Thaana")


def tessdata_dir(configured: str = "") -> Path:
    return Path(configured or os.environ.get("TESSDATA_PREFIX") or DEBIAN_TESSDATA)


def from_osd(name: str) -> str:
    return _FROM_OSD.get(name, name)


def is_rtl(script: str | None) -> bool:
    return script in RTL_SCRIPTS


# script packs the probe band is read with when OSD's script reads it unsure (cpu_engine's script check; the
# scripts of FinePDFs' largest alphabetic subsets: Han and Japanese have RapidOCR's check, cjk_lines)
SCRIPT_CANDIDATES = ("Latin", "Greek", "Cyrillic", "Arabic", "Hebrew", "Devanagari")
SCRIPT_CHECK_MARGIN = 0.1  # a candidate's band read must be this much surer than the read with OSD's script

# Greek letters of polytonic (Ancient Greek) print: breathings, circumflex, grave, iota subscript. After NFC they
# are letters of Unicode's Greek Extended block; acute alone (monotonic's tonos, U+1F71 = U+03AC) is not.
_GREEK_EXTENDED = ("\u1f00", "\u1fff")
_POLYTONIC_MARKS = "\u0313\u0314\u0342\u0345"  # combining psili, dasia, perispomeni, ypogegrammeni
POLYTONIC_MIN_SHARE = 0.05  # of a text's Greek letters (polytonic print: 0.2-0.4; a monotonic read: 0)
POLYTONIC_MIN_LETTERS = 3


def polytonic(text: str) -> bool:
    """Is this Greek polytonic? Then the Greek script pack reads the page, not lid.176's language (it names
    Ancient Greek ``ell``, whose model has no breathings: the real-scan set's 10 tune pages of 1835-1894
    Greek print 0.771 with ell+eng, 0.802 with grc, 0.829 with the Greek pack + Latin; page by page, not
    through the stage: stages/ocr/README.md, 2026-12-06)."""
    text = unicodedata.normalize("NFC", text)
    greek = sum(1 for c in text if c.isalpha() and ("\u0370" <= c <= "\u03ff" or _in_greek_extended(c)))
    marked = sum(1 for c in text if (c.isalpha() and _in_greek_extended(c)) or c in _POLYTONIC_MARKS)
    return marked >= POLYTONIC_MIN_LETTERS and marked >= POLYTONIC_MIN_SHARE * greek


def _in_greek_extended(char: str) -> bool:
    return _GREEK_EXTENDED[0] <= char <= _GREEK_EXTENDED[1]


def latin_after_all(text: str, script: str | None, model: str) -> bool:
    """Did a model of ``script`` with Latin beside it read more Latin letters than letters of its script?
    Then OSD named the wrong script (it calls some Latin pages with many accents Cyrillic: 4 of the OCR set's
    27 Latin pages) and the page is read again with the Latin model alone, which reads them better."""
    if not script or script in (DEFAULT_SCRIPT, *_DENSE_SCRIPTS) or not model.endswith(f"+{DEFAULT_SCRIPT}"):
        return False
    own = latin = 0
    for char in text:
        if char.isalpha():
            name = unicodedata.name(char, "").split(" ", 1)[0]
            own += name == script.upper()
            latin += name == "LATIN"
    return latin > own


# scripts whose one character is a syllable or a word (and whose Unicode names do not start with the script's
# name): a page of them may hold more Latin letters than characters of its own script and still be theirs
_DENSE_SCRIPTS = ("Han", "Japanese", "Hangul")


def tesseract_model(script: str, overrides: dict, folder: str | Path) -> str:
    """The Tesseract model string for a page of ``script``: the configured one, else the script's pack
    (+ Latin for packs of non-Latin scripts), else Latin when that pack is not installed."""
    if script in overrides:
        return overrides[script]
    pack = _PACK.get(script, script)
    if not (Path(folder) / f"{pack}.traineddata").is_file():
        return DEFAULT_SCRIPT
    return f"{pack}+Latin" if pack in _WITH_LATIN else pack


# ISO 15924 (the script part of a FinePDFs language code) -> the script name OSD and the packs use
_FROM_ISO15924 = {"Latn": "Latin", "Cyrl": "Cyrillic", "Arab": "Arabic", "Grek": "Greek", "Hebr": "Hebrew",
                  "Deva": "Devanagari", "Hani": "Han", "Jpan": "Japanese", "Hang": "Hangul", "Kore": "Hangul",
                  "Thai": "Thai"}
# FinePDFs language (ISO 639-3, as language ID names it) -> Tesseract's model name, where the two differ
_TESSERACT_LANGUAGE = {"arb": "ara", "cmn": "chi_sim", "zsm": "msa", "ekk": "est", "pes": "fas", "azj": "aze",
                       "uzn": "uzb", "khk": "mon", "npi": "nep", "ory": "ori", "swh": "swa", "lvs": "lav"}
# scripts whose pack read the OCR set better than their languages' models (Arabic script, 10 pages: 0.881 with
# the Arabic pack, 0.866 with ara / fas; python -m tools.ocr_quality --systems cpu-script,cpu, 2026-12-04)
_SCRIPT_PACK_READS_BETTER = ("Arabic",)
# language models that read their own letters only: the Latin names, commands and URLs of their pages need eng
# beside them (Arabic-script models are kept alone, see _WITH_LATIN)
LANGUAGE_WITH_ENG = ("Cyrillic", "Greek", "Hebrew", "Devanagari", "Hangul")


def language_model(code: str, folder: str | Path, with_eng=LANGUAGE_WITH_ENG) -> tuple[str, str] | None:
    """(Tesseract model string, script) for a FinePDFs language code such as ``fra_Latn``, when its language
    model is installed (Debian's tesseract-ocr-<lang>): ``fra``, ``ara``, ``rus+eng`` (scripts of ``with_eng``
    get eng beside their language's model); None otherwise."""
    language, _, iso_script = code.partition("_")
    script = _FROM_ISO15924.get(iso_script)
    model = _TESSERACT_LANGUAGE.get(language, language)
    if script is None or script in _DENSE_SCRIPTS or script in _SCRIPT_PACK_READS_BETTER \
            or not (Path(folder) / f"{model}.traineddata").is_file():
        return None
    if script in with_eng and model != "eng":
        model = f"{model}+eng"
    return model, script


# Tesseract's Arabic-script models read the Arabic comma "،" after a word as "»" (tesseract-ocr/tesseract
# #1217, tessdata_best #11); a real closing guillemet follows an opening one in its paragraph
_GUILLEMETS = re.compile(r"[«»]|\n\s*\n")


def tidy_text(text: str, script: str | None) -> str:
    """OCR text without the engine's known artefacts: bidi marks out; on Arabic-script pages an "»" that no
    "«" opened in its paragraph is the comma it was printed as."""
    text = BIDI_MARKS.sub("", text)  # Tesseract writes them around the numbers of right-to-left lines
    if script != "Arabic" or "»" not in text:
        return text
    parts, opened, last = [], False, 0
    for match in _GUILLEMETS.finditer(text):
        mark = match.group()
        if mark == "«":
            opened = True
        elif mark == "»":
            if not opened:
                parts.append(text[last:match.start()] + "\u060c")
                last = match.end()
            opened = False
        else:  # a paragraph break closes nothing and opens nothing
            opened = False
    parts.append(text[last:])
    return "".join(parts)
