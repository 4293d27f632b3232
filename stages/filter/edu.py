"""FinePDFs-Edu's educational-quality label: the finepdfs_edu_classifier of the document's language.

Facts used (FinePDFs' README and the model cards of HuggingFaceFW/finepdfs_edu_classifier_<language>; read
2026-12, no code taken):
- one classifier per language, ``HuggingFaceFW/finepdfs_edu_classifier_{language}`` (FinePDFs' codes,
  ``eng_Latn``): ModernBERT for English, mmBERT (the ModernBERT architecture, multilingual) for the others; a
  sequence-classification head with one output, a regression on the 0-5 educational scale its teacher
  (Qwen3-235B-A22B-Instruct-2507) annotated;
- inputs: chunks of at most 2,046 tokens (2048 minus the two special tokens), cut from the first 10,000
  characters of the text and, for a text longer than 20,000 characters, also from its last 10,000 characters
  (the end of the document); the start chunk loses its last (maybe partial) word, the end chunk its first;
- one score per chunk; the document's score is their maximum (``max(scores)``);
- FinePDFs' released pipeline (run_finepdfs_pipeline.py) keeps ``max(fw_edu_scores) >= 0.5`` in the Edu subset
  (runfolder/release.py); its README says the threshold was chosen as the top 10% of scores.

Weights are read from the models folder (``<models_dir>/HuggingFaceFW/finepdfs_edu_classifier_<language>``),
never downloaded; a language without weights gets no score (null), counted in the step's stats and named in the
run report. CPU by default, the GPU when torch sees one (``edu_device``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from shared import schemas
from shared.config import EDU_FETCH_COMMAND
from shared.ledger import KEEP_IN_KEY, is_live, mark_failed
from stages.filter.postprocess import content_text
from textkit.languages import UNKNOWN_LANGUAGE

CHUNK_TOKENS = 2048 - 2  # the model's 2,048 positions minus [CLS] and [SEP]
CHUNK_SOURCE_CHARS = 10_000  # characters tokenized at each end of the text
WHITESPACE = re.compile(r"\s")

STAT_NO_WEIGHTS = "edu_no_weights"
STAT_SCORED = "edu_scored"


def model_folder(models_dir: Path, pattern: str, language: str) -> Path:
    return Path(models_dir) / pattern.format(language=language)


def weights_present(folder: Path) -> bool:
    return (folder / "config.json").is_file() and any(folder.glob("*.safetensors")) or (
        folder / "pytorch_model.bin").is_file()


def missing_weights_message(models_dir: Path, pattern: str, languages: list[str]) -> str:
    """Names the weights that are absent and the command that fetches them."""
    folders = ", ".join(str(model_folder(models_dir, pattern, lang)) for lang in languages)
    fetch = EDU_FETCH_COMMAND.format(language=",".join(languages))
    return (f"educational-quality classifier weights absent ({folders}): documents get no edu_score; "
            f"fetch them with `{fetch}` (or a tiny random one for plumbing: python -m tools.tiny_models edu)")


def _drop_partial_word(text: str, at_start: bool) -> str:
    """A chunk cut inside a word loses that word's piece (FinePDFs' model cards do the same)."""
    if at_start:
        match = WHITESPACE.search(text)
        return text[match.start() + 1:] if match else text
    match = WHITESPACE.search(text[::-1])
    return text[: len(text) - match.start() - 1] if match else text


def text_chunks(text: str, tokenizer) -> list[str]:
    """The start of the text and, for a long text, its end, each at most CHUNK_TOKENS tokens."""
    if len(text) <= 2 * CHUNK_SOURCE_CHARS:
        ids = tokenizer(text[:CHUNK_SOURCE_CHARS], add_special_tokens=False, verbose=False)["input_ids"]
        start = tokenizer.decode(ids[:CHUNK_TOKENS], skip_special_tokens=True)
        return [_drop_partial_word(start, at_start=False)]
    top, bottom = tokenizer([text[:CHUNK_SOURCE_CHARS], text[-CHUNK_SOURCE_CHARS:]],
                            add_special_tokens=False, verbose=False)["input_ids"]
    start = tokenizer.decode(top[:CHUNK_TOKENS], skip_special_tokens=True)
    end = tokenizer.decode(bottom[-CHUNK_TOKENS:], skip_special_tokens=True)
    return [_drop_partial_word(start, at_start=False), _drop_partial_word(end, at_start=True)]


@dataclass
class EduClassifier:
    """One language's classifier, loaded once per task."""

    folder: Path
    device: str
    threads: int

    def __post_init__(self):
        import torch
        from transformers import AutoModelForSequenceClassification, AutoTokenizer

        if self.device == "cpu" and self.threads > 0:
            torch.set_num_threads(self.threads)
        self.tokenizer = AutoTokenizer.from_pretrained(self.folder)
        # sdpa: no flash-attn package needed; bfloat16 on a GPU as FinePDFs ran it, float32 on CPU
        dtype = torch.bfloat16 if self.device.startswith("cuda") else torch.float32
        self.model = AutoModelForSequenceClassification.from_pretrained(
            self.folder, attn_implementation="sdpa", dtype=dtype).to(self.device).eval()

    def score(self, texts: list[str], batch_size: int) -> list[list[float]]:
        """Per text, the score of each of its chunks."""
        import torch

        chunks = [text_chunks(text, self.tokenizer) for text in texts]
        flat = [chunk for doc_chunks in chunks for chunk in doc_chunks]
        scores: list[float] = []
        for i in range(0, len(flat), batch_size):
            inputs = self.tokenizer(flat[i:i + batch_size], padding=True, truncation=True,
                                    max_length=CHUNK_TOKENS + 2, return_tensors="pt").to(self.device)
            with torch.inference_mode():
                logits = self.model(**inputs).logits
            scores += logits[:, 0].float().cpu().tolist()
        out, at = [], 0
        for doc_chunks in chunks:
            out.append(scores[at:at + len(doc_chunks)])
            at += len(doc_chunks)
        return out


def resolve_device(setting: str) -> str:
    if setting != "auto":
        return setting
    import torch

    return "cuda" if torch.cuda.is_available() else "cpu"


class ScoreEducationalQuality(PipelineStep):
    """Sets ``edu_score`` (the maximum chunk score), ``edu_chunk_scores`` and ``edu_model`` on every kept document
    (and those kept in ``<lang>_removed``), in batches of documents; null where the language has no weights."""

    name = "🎓 Edu score"
    type = "🔢 - INFERENCE"

    def __init__(self, models_dir: str | Path, pattern: str, device: str = "auto", batch_size: int = 16,
                 cpu_threads: int = 1, languages: list[str] | None = None):
        super().__init__()
        self.models_dir = Path(models_dir)
        self.pattern = pattern
        self.device = device
        self.batch_size = batch_size
        self.cpu_threads = cpu_threads
        self.languages = set(languages or [])  # empty: every language that has weights
        self._classifiers: dict[str, EduClassifier | None] = {}

    def classifier(self, language: str) -> EduClassifier | None:
        if language not in self._classifiers:
            folder = model_folder(self.models_dir, self.pattern, language)
            wanted = not self.languages or language in self.languages
            self._classifiers[language] = (
                EduClassifier(folder, resolve_device(self.device), self.cpu_threads)
                if wanted and language != UNKNOWN_LANGUAGE and weights_present(folder) else None)
        return self._classifiers[language]

    def _score_batch(self, batch: list[Document]) -> None:
        by_language: dict[str, list[Document]] = {}
        for doc in batch:
            by_language.setdefault(doc.metadata.get(schemas.LANGUAGE) or UNKNOWN_LANGUAGE, []).append(doc)
        for language, docs in by_language.items():
            classifier = self.classifier(language)
            if classifier is None:
                self.stat_update(STAT_NO_WEIGHTS, value=len(docs))
                self.stat_update(f"{STAT_NO_WEIGHTS}/{language}", value=len(docs))
                continue
            with self.track_time(unit="batch"):
                try:
                    scores = classifier.score([content_text(doc.text) for doc in docs], self.batch_size)
                except Exception as error:  # noqa: BLE001 - a failed batch fails its documents, not the shard
                    for doc in docs:
                        if is_live(doc):
                            mark_failed(doc, "filter", error)
                    self.stat_update("failed", value=len(docs))
                    continue
            for doc, chunk_scores in zip(docs, scores, strict=True):
                doc.metadata[schemas.EDU_CHUNK_SCORES] = chunk_scores
                doc.metadata[schemas.EDU_SCORE] = max(chunk_scores) if chunk_scores else None
                doc.metadata[schemas.EDU_MODEL] = self.pattern.format(language=language)
            self.stat_update(STAT_SCORED, value=len(docs))

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        pending: list[Document] = []  # every document in order; the live ones are scored per batch
        to_score: list[Document] = []
        for doc in data:
            pending.append(doc)
            if (is_live(doc) or doc.metadata.get(KEEP_IN_KEY)) and doc.text.strip():
                to_score.append(doc)
            if len(to_score) >= self.batch_size:
                self._score_batch(to_score)
                yield from pending
                pending, to_score = [], []
        if to_score:
            self._score_batch(to_score)
        yield from pending
