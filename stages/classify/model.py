"""The trained router: an XGBoost model (JSON, committed beside this file) and the routing rule around it.

Route to OCR when p(ocr) >= threshold (reason ``model``), else when the text layer's garbled ratio reaches
``garbled_threshold`` (reason ``garbled_text``), else to Docling (reason ``model``); ``force_route``
overrides everything (reason ``forced``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from shared import schemas
from stages.classify.features import FEATURE_NAMES

MODEL_DIR = Path(__file__).parent / "model"
MODEL_FILE = "router.xgb.json"
DEFAULT_MODEL = MODEL_DIR / MODEL_FILE

REASON_MODEL, REASON_GARBLED, REASON_FORCED = "model", "garbled_text", "forced"


class ModelMismatch(RuntimeError):
    """The model was trained on other features than this code extracts."""


@dataclass(frozen=True)
class RoutingRule:
    threshold: float  # declared in the classify stage's stage.toml
    ocr_if_garbled: bool
    garbled_threshold: float
    force_route: str | None = None  # "docling" | "ocr"

    def route(self, ocr_prob: float, garbled_ratio: float) -> tuple[str, str]:
        """(route, reason) for one PDF."""
        if self.force_route:
            return self.force_route, REASON_FORCED
        if ocr_prob >= self.threshold:
            return schemas.ROUTE_OCR, REASON_MODEL
        if self.ocr_if_garbled and garbled_ratio >= self.garbled_threshold:
            return schemas.ROUTE_OCR, REASON_GARBLED
        return schemas.ROUTE_DOCLING, REASON_MODEL


class RouterModel:
    """Loads the XGBoost JSON once and predicts p(ocr) on one thread."""

    def __init__(self, path: str | Path | None = None):
        import xgboost as xgb

        self.path = Path(path) if path else DEFAULT_MODEL
        if not self.path.is_file():
            raise FileNotFoundError(
                f"router model not found: {self.path}. The bundled model is {DEFAULT_MODEL}; "
                "train one with `finepdfs train-router --out DIR`."
            )
        self.booster = xgb.Booster(model_file=str(self.path))
        self.booster.set_param({"nthread": 1})
        names = self.booster.feature_names
        if names is not None and list(names) != FEATURE_NAMES:
            raise ModelMismatch(
                f"{self.path} was trained on {len(names)} other features than the {len(FEATURE_NAMES)} "
                "this code "
                "extracts; retrain with `finepdfs train-router`."
            )
        attrs = self.booster.attributes()
        self.trained_threshold = float(attrs["threshold"]) if "threshold" in attrs else None
        self.info = json.loads(attrs.get("card", "{}"))

    def predict(self, vectors: np.ndarray) -> np.ndarray:
        """p(ocr) for a (n, len(FEATURE_NAMES)) float32 array."""
        vectors = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
        return self.booster.inplace_predict(vectors, validate_features=False).astype(np.float32)

    def predict_one(self, vector: np.ndarray) -> float:
        return float(self.predict(vector[None, :])[0])
