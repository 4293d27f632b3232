"""`finepdfs eval-router`: the router's metrics on any labelled folder or manifest.

ROC AUC is the model's (its probability ranks OCR PDFs above text PDFs); accuracy, OCR precision/recall and
the confusion matrix are those of the full route at the operating point (model threshold, then the
garbled-text rule).
"""

from __future__ import annotations

from dataclasses import dataclass

import click
import numpy as np


def roc_auc(y: np.ndarray, score: np.ndarray) -> float:
    """Mann-Whitney AUC with tied scores counted half; NaN when a class is missing."""
    y = np.asarray(y, dtype=bool)
    score = np.asarray(score, dtype=np.float64)
    pos, neg = int(y.sum()), int((~y).sum())
    if pos == 0 or neg == 0:
        return float("nan")
    order = np.argsort(score, kind="mergesort")
    ranks = np.empty(len(score), dtype=np.float64)
    sorted_scores = score[order]
    i = 0
    while i < len(score):  # average ranks over ties
        j = i
        while j + 1 < len(score) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    return float((ranks[y].sum() - pos * (pos + 1) / 2) / (pos * neg))


@dataclass
class Metrics:
    n: int
    auc: float
    accuracy: float
    precision: float
    recall: float
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def ocr_share(self) -> float:
        return (self.tp + self.fp) / self.n if self.n else float("nan")

    @property
    def text_fpr(self) -> float:
        return self.fp / (self.fp + self.tn) if self.fp + self.tn else float("nan")

    def as_dict(self) -> dict:
        return {
            "n": self.n,
            "roc_auc": round(self.auc, 4),
            "accuracy": round(self.accuracy, 4),
            "ocr_precision": round(self.precision, 4),
            "ocr_recall": round(self.recall, 4),
            "ocr_share": round(self.ocr_share, 4),
            "confusion": {"true_ocr": [self.tp, self.fn], "true_text": [self.fp, self.tn]},
        }


def metrics(y_ocr: np.ndarray, prob: np.ndarray, routed_ocr: np.ndarray) -> Metrics:
    y = np.asarray(y_ocr, dtype=bool)
    r = np.asarray(routed_ocr, dtype=bool)
    tp, fp = int((y & r).sum()), int((~y & r).sum())
    fn, tn = int((y & ~r).sum()), int((~y & ~r).sum())
    n = len(y)
    return Metrics(
        n=n,
        auc=roc_auc(y, prob),
        accuracy=(tp + tn) / n if n else float("nan"),
        precision=tp / (tp + fp) if tp + fp else float("nan"),
        recall=tp / (tp + fn) if tp + fn else float("nan"),
        tp=tp,
        fp=fp,
        fn=fn,
        tn=tn,
    )


def format_metrics(m: Metrics, title: str, threshold: float) -> str:
    return "\n".join(
        [
            f"{title}: {m.n} PDFs, threshold {threshold:g}",
            f"  ROC AUC            {m.auc:.4f}",
            f"  accuracy           {m.accuracy:.4f}",
            f"  OCR precision      {m.precision:.4f}",
            f"  OCR recall         {m.recall:.4f}",
            f"  OCR share          {m.ocr_share:.4f}",
            "  confusion matrix   routed ocr  routed docling",
            f"    labelled ocr     {m.tp:10d}  {m.fn:14d}",
            f"    labelled text    {m.fp:10d}  {m.tn:14d}",
        ]
    )


def route_all(probs: np.ndarray, garbled: np.ndarray, rule) -> np.ndarray:
    from shared import schemas

    return np.array(
        [rule.route(float(p), float(g))[0] == schemas.ROUTE_OCR for p, g in zip(probs, garbled, strict=True)]
    )


@click.command("eval-router")
@click.argument("labelled")
@click.option("--model", default=None, help="Router model JSON. Default: [classify] model, else the bundled one.")
@click.option("--threshold", type=float, default=None, help="OCR threshold. Default: [classify] threshold.")
@click.option("--config", default=None, envvar="FINEPDFS_CONFIG", help="TOML config overriding the defaults.")
@click.option("--workers", default=1, show_default=True, help="Processes extracting features.")
@click.option("--show-errors/--no-show-errors", default=True, show_default=True, help="List misrouted PDFs.")
def command(labelled: str, model: str | None, threshold: float | None, config: str | None, workers: int,
            show_errors: bool) -> None:
    """LABELLED: a manifest CSV (file,label) or a folder of text/ ocr/ ... folders.

    Print ROC AUC, accuracy, OCR precision/recall at the threshold and the confusion matrix."""
    from shared.config import stage_settings
    from shared.runner import UsageError
    from stages.classify.model import RouterModel, RoutingRule
    from tools.router.dataset import BROKEN, OCR, extract_all, load_labelled

    cfg = stage_settings("classify", config)
    rule = cfg.pick(RoutingRule, force_route=None, **({} if threshold is None else {"threshold": threshold}))
    router = RouterModel(model or cfg["model"] or None)
    try:
        items = load_labelled(labelled)
    except FileNotFoundError as error:
        raise UsageError(f"eval-router: {error}") from None
    rows = extract_all(items, sample_pages=cfg["sample_pages"], seed=cfg["seed"], workers=workers)
    unreadable = [r for r in rows if r.error]
    readable = [r for r in rows if not r.error and r.item.label != BROKEN]
    broken_read = [r for r in rows if not r.error and r.item.label == BROKEN]
    if not readable:
        click.echo(f"no readable labelled PDFs in {labelled}")
        raise SystemExit(1)
    probs = router.predict(np.stack([r.vector for r in readable]))
    garbled = np.array([r.garbled_ratio for r in readable])
    y = np.array([r.item.label == OCR for r in readable])
    routed = route_all(probs, garbled, rule)
    click.echo(format_metrics(metrics(y, probs, routed), f"router on {labelled}", rule.threshold))
    errors = ", ".join(
        f"{c}={sum(1 for r in unreadable if r.error == c)}" for c in sorted({r.error for r in unreadable})
    )
    click.echo(
        f"  error rows         {len(unreadable)} ({errors or 'none'}); "
        f"'broken' PDFs that opened: {len(broken_read)}"
    )
    if show_errors:
        for r, p, g, o, t in zip(readable, probs, garbled, routed, y, strict=True):
            if o != t:
                click.echo(f"  misrouted: {r.item.name} labelled {r.item.label}, p={p:.3f} garbled={g:.2f}")
