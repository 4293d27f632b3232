"""`finepdfs train-router`: build the labelled dataset, train the XGBoost router, pick its threshold by cost.

1. Labelled PDFs: the corpus manifest (text / ocr; ``broken`` is for robustness tests), plus synthetic
   derivatives of its text PDFs (tools/router/synth.py) made into a cache folder, never into the
repository. 2. Split (fixed seed): groups of near-identical PDFs and all derivatives of one source stay on one
   side; stratified by the source's label; ``--test-size`` of the groups are held out.
3. Threshold: grouped 5-fold cross-validation on the training split gives out-of-fold probabilities; the
   operating point is the highest threshold whose out-of-fold OCR recall (with the garbled-text rule) stays
   >= ``--target-recall``: the fewest PDFs sent to the GPU for that recall. The held-out split is only scored.
4. The model is fitted on the whole training split and written as XGBoost JSON with a model card.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import click
import numpy as np

SYNTH_VERSION = 4
PARAMS = {
    "objective": "binary:logistic",
    "eval_metric": "auc",
    "tree_method": "hist",
    "max_depth": 4,
    "eta": 0.05,
    "subsample": 0.8,
    "colsample_bytree": 0.8,
    "min_child_weight": 1.0,
    "lambda": 1.0,
    "nthread": 1,
}
ROUNDS = 300
THRESHOLD_GRID = [round(t, 2) for t in np.arange(0.01, 1.0, 0.01)]


# --- dataset ------------------------------------------------------------------------------------------------
def _synth_one(args):
    from tools.router.synth import make_variants

    path, key, out_dir, seed = args
    return key, make_variants(Path(path).read_bytes(), key, Path(out_dir), seed)


def synthesize(sources, cache_dir: Path, seed: int, workers: int) -> list:
    """Synthetic derivatives of the text PDFs, cached in ``cache_dir`` (keyed by source hash and seed)."""
    from stages.classify.features import document_key
    from tools.router.dataset import LabelledPdf
    from tools.router.synth import SynthDoc

    out_dir = cache_dir / f"synth-v{SYNTH_VERSION}-seed{seed}"
    out_dir.mkdir(parents=True, exist_ok=True)
    index_path = out_dir / "index.json"
    index = json.loads(index_path.read_text()) if index_path.is_file() else {}
    keys = {document_key(s.path.read_bytes()): s for s in sources}
    todo = [
        (str(s.path), k, str(out_dir), seed)
        for k, s in keys.items()
        if k not in index or not all(Path(d["path"]).is_file() for d in index[k])
    ]
    if todo:
        click.echo(f"synthesizing derivatives of {len(todo)} text PDFs into {out_dir} ...", err=True)
        if workers > 1:
            with ProcessPoolExecutor(workers) as pool:
                results = list(pool.map(_synth_one, todo, chunksize=2))
        else:
            results = [_synth_one(a) for a in todo]
        for key, made in results:
            index[key] = [{"path": str(d.path), "label": d.label, "variant": d.variant} for d in made]
        index_path.write_text(json.dumps(index, indent=1, sort_keys=True))
    items = []
    for key, source in sorted(keys.items(), key=lambda kv: kv[1].name):
        for d in index.get(key, []):
            sd = SynthDoc(Path(d["path"]), d["label"], d["variant"], key)
            items.append(
                LabelledPdf(
                    sd.path,
                    sd.label,
                    source.group,
                    f"synthetic:{sd.variant}",
                    f"synthetic/{source.name}#{sd.variant}",
                )
            )
    return items


def split_groups(items, test_size: float, seed: int) -> set[str]:
    """Held-out groups: per stratum (the label of the group's corpus PDFs), a seeded share of the groups."""
    stratum: dict[str, str] = {}
    for item in items:
        if item.origin == "corpus":
            stratum.setdefault(item.group, item.label)
    by_label = defaultdict(list)
    for group, label in sorted(stratum.items()):
        by_label[label].append(group)
    rng = random.Random(seed)
    test = set()
    for label in sorted(by_label):
        groups = by_label[label]
        rng.shuffle(groups)
        test.update(groups[: max(1, round(len(groups) * test_size))])
    return test


# --- model --------------------------------------------------------------------------------------------------
def _weights(y: np.ndarray) -> np.ndarray:
    """Each class weighs the same in total."""
    pos, neg = max(int(y.sum()), 1), max(int((1 - y).sum()), 1)
    return np.where(y == 1, len(y) / (2 * pos), len(y) / (2 * neg)).astype(np.float32)


def fit(X: np.ndarray, y: np.ndarray, seed: int, rounds: int = ROUNDS):
    import xgboost as xgb

    from stages.classify.features import FEATURE_NAMES

    dtrain = xgb.DMatrix(X, label=y, weight=_weights(y), feature_names=FEATURE_NAMES, missing=np.nan)
    return xgb.train({**PARAMS, "seed": seed}, dtrain, num_boost_round=rounds)


def predict(booster, X: np.ndarray) -> np.ndarray:
    return booster.inplace_predict(X.astype(np.float32), validate_features=False)


def out_of_fold(X, y, groups, seed: int, folds: int = 5, rounds: int = ROUNDS) -> np.ndarray:
    """Grouped k-fold out-of-fold probabilities: a group's PDFs are predicted by a model that never saw it."""
    unique = sorted(set(groups))
    random.Random(seed).shuffle(unique)
    fold_of = {g: i % folds for i, g in enumerate(unique)}
    fold = np.array([fold_of[g] for g in groups])
    oof = np.zeros(len(y), dtype=np.float32)
    for k in range(folds):
        train, test = fold != k, fold == k
        if test.any():
            oof[test] = predict(fit(X[train], y[train], seed, rounds), X[test])
    return oof


def cost_curve(y: np.ndarray, prob: np.ndarray, garbled: np.ndarray, rule_kwargs: dict) -> list[dict]:
    """For each threshold: OCR recall, share of PDFs sent to OCR, text PDFs sent to OCR, precision."""
    from stages.classify.model import RoutingRule
    from tools.router.evaluate import metrics, route_all

    curve = []
    for t in THRESHOLD_GRID:
        routed = route_all(prob, garbled, RoutingRule(threshold=t, **rule_kwargs))
        m = metrics(y, prob, routed)
        curve.append(
            {
                "threshold": t,
                "recall": m.recall,
                "ocr_share": m.ocr_share,
                "text_fpr": m.text_fpr,
                "precision": m.precision,
            }
        )
    return curve


def choose_threshold(curve: list[dict], target_recall: float) -> float:
    """The highest threshold that keeps recall >= target: the cheapest operating point for that recall."""
    ok = [c["threshold"] for c in curve if c["recall"] >= target_recall]
    return max(ok) if ok else min(c["threshold"] for c in curve)


# --- the command --------------------------------------------------------------------------------------------
@click.command("train-router")
@click.option("--corpus", default="../shared/corpus", show_default=True, help="Labelled corpus: manifest CSV or folder.")
@click.option("--out", default="stages/classify/model", show_default=True,
              help="Where router.xgb.json, MODEL_CARD.md, report.json go.")
@click.option("--cache-dir", default="~/.cache/finepdfs/router", show_default=True,
              help="Synthetic PDFs are made here (never commit them).")
@click.option("--seed", default=42, show_default=True, help="Seed of synthesis, split, folds and XGBoost.")
@click.option("--test-size", default=0.3, show_default=True, help="Share of source groups held out.")
@click.option("--target-recall", default=0.97, show_default=True, help="OCR recall the threshold must keep (out-of-fold).")
@click.option("--synthetic/--no-synthetic", default=True, show_default=True,
              help="Add synthetic derivatives of the text PDFs.")
@click.option("--rounds", default=ROUNDS, show_default=True, help="Boosting rounds.")
@click.option("--workers", default=2, show_default=True, help="Processes for synthesis and feature extraction.")
@click.option("--config", default=None, envvar="FINEPDFS_CONFIG", help="TOML config overriding the defaults.")
def command(corpus: str, out: str, cache_dir: str, seed: int, test_size: float, target_recall: float,
            synthetic: bool, rounds: int, workers: int, config: str | None) -> None:
    """Train the OCR router (XGBoost) on labelled PDFs and write it with its model card."""
    import pymupdf
    import xgboost as xgb

    from shared.config import stage_settings
    from shared.runner import UsageError
    from stages.classify import features as F
    from stages.classify.model import MODEL_FILE, RoutingRule
    from tools.router.dataset import BROKEN, LABEL_FIXES, OCR, TEXT, extract_all, load_labelled
    from tools.router.evaluate import format_metrics, metrics, route_all

    cfg = stage_settings("classify", config)
    corpus_path = Path(corpus).expanduser()
    if not corpus_path.exists():
        raise UsageError(f"train-router: no labelled corpus at {corpus_path} (give --corpus)")
    items = [i for i in load_labelled(corpus_path) if i.label != BROKEN]
    if synthetic:
        items += synthesize(
            [i for i in items if i.label == TEXT], Path(cache_dir).expanduser(), seed, workers
        )
    click.echo(f"extracting features of {len(items)} labelled PDFs ...", err=True)
    rows = [r for r in extract_all(items, cfg["sample_pages"], cfg["seed"], workers) if r.vector is not None]
    unreadable = len(items) - len(rows)
    X = np.stack([r.vector for r in rows])
    y = np.array([1 if r.item.label == OCR else 0 for r in rows], dtype=np.float32)
    garbled = np.array([r.garbled_ratio for r in rows], dtype=np.float32)
    groups = [r.item.group for r in rows]
    test_groups = split_groups([r.item for r in rows], test_size, seed)
    is_test = np.array([g in test_groups for g in groups])
    tr, te = ~is_test, is_test
    if len(set(y[tr])) < 2:
        raise UsageError("train-router: the training split needs both text and ocr PDFs")

    rule_kwargs = {"ocr_if_garbled": cfg["ocr_if_garbled"], "garbled_threshold": cfg["garbled_threshold"]}
    groups_tr = [g for g, t in zip(groups, tr, strict=True) if t]
    oof = out_of_fold(X[tr], y[tr], groups_tr, seed, rounds=rounds)
    curve = cost_curve(y[tr], oof, garbled[tr], rule_kwargs)
    threshold = choose_threshold(curve, target_recall)
    rule = RoutingRule(threshold=threshold, **rule_kwargs)

    booster = fit(X[tr], y[tr], seed, rounds)
    prob_te = predict(booster, X[te])
    routed_te = route_all(prob_te, garbled[te], rule)
    held_out = metrics(y[te], prob_te, routed_te)
    at_half = metrics(
        y[te], prob_te, route_all(prob_te, garbled[te], RoutingRule(threshold=0.5, **rule_kwargs))
    )
    test_rows = [r for r, t in zip(rows, te, strict=True) if t]
    corpus_mask = np.array([r.item.origin == "corpus" for r in test_rows])
    held_out_corpus = metrics(y[te][corpus_mask], prob_te[corpus_mask], routed_te[corpus_mask])
    per_origin = {}
    for origin, label in sorted({(r.item.origin, r.item.label) for r in test_rows}):
        mask = np.array([(r.item.origin, r.item.label) == (origin, label) for r in test_rows])
        per_origin[f"{origin} {label}"] = {
            "origin": origin,
            "label": label,
            "n": int(mask.sum()),
            "routed_ocr": int(routed_te[mask].sum()),
        }
    misrouted = [
        {"name": r.item.name, "label": r.item.label, "p": round(float(p), 4), "garbled": round(float(g), 3)}
        for r, p, g, o, t in zip(test_rows, prob_te, garbled[te], routed_te, y[te], strict=True)
        if bool(o) != bool(t)
    ]

    click.echo(format_metrics(held_out, "held-out split", threshold))
    click.echo(format_metrics(held_out_corpus, "held-out split, real corpus PDFs only", threshold))
    click.echo(f"threshold {threshold} = highest with out-of-fold OCR recall >= {target_recall}")

    counts = Counter(
        (r.item.origin, r.item.label, "test" if t else "train") for r, t in zip(rows, te, strict=True)
    )
    importance = booster.get_score(importance_type="gain")
    top = sorted(importance.items(), key=lambda kv: -kv[1])[:15]
    report = {
        "date": dt.date.today().isoformat(),
        "seed": seed,
        "test_size": test_size,
        "target_recall": target_recall,
        "threshold": threshold,
        "garbled_threshold": cfg["garbled_threshold"],
        "sample_pages": cfg["sample_pages"],
        "params": {**PARAMS, "seed": seed, "rounds": rounds},
        "versions": {"xgboost": xgb.__version__, "pymupdf": pymupdf.VersionBind},
        "features": F.FEATURE_NAMES,
        "unreadable": unreadable,
        "counts": [
            {"origin": o, "label": lab, "split": s, "n": n} for (o, lab, s), n in sorted(counts.items())
        ],
        "label_fixes": {k: v[1] for k, v in LABEL_FIXES.items()},
        "held_out": held_out.as_dict(),
        "held_out_at_0.5": at_half.as_dict(),
        "held_out_corpus_only": held_out_corpus.as_dict(),
        "held_out_per_origin": per_origin,
        "misrouted_held_out": misrouted,
        "cost_curve_out_of_fold": [{k: round(v, 4) for k, v in c.items()} for c in curve],
        "top_features_gain": [[k, round(v, 3)] for k, v in top],
    }
    booster.set_attr(
        threshold=str(threshold),
        card=json.dumps({k: report[k] for k in ("date", "seed", "threshold", "sample_pages")}),
    )
    out_dir = Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    booster.save_model(str(out_dir / MODEL_FILE))
    (out_dir / "report.json").write_text(json.dumps(report, indent=1) + "\n")
    (out_dir / "MODEL_CARD.md").write_text(model_card(report))
    click.echo(f"wrote {out_dir / MODEL_FILE}, {out_dir / 'MODEL_CARD.md'}, {out_dir / 'report.json'}")


def _metrics_table(rows: list[tuple[str, dict]]) -> str:
    lines = [
        "| split | PDFs | ROC AUC | accuracy | OCR precision | OCR recall | OCR share "
        "| confusion (ocr: tp fn / text: fp tn) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, m in rows:
        c = m["confusion"]
        lines.append(
            f"| {name} | {m['n']} | {m['roc_auc']:.4f} | {m['accuracy']:.4f} | {m['ocr_precision']:.4f} | "
            f"{m['ocr_recall']:.4f} | {m['ocr_share']:.4f} | {c['true_ocr'][0]} {c['true_ocr'][1]} / "
            f"{c['true_text'][0]} {c['true_text'][1]} |"
        )
    return "\n".join(lines)


CARD = """# OCR router: model card

Generated by `finepdfs train-router` on {date} (seed {seed}); `report.json` holds every number below.
Reproduce: `finepdfs train-router --corpus ../shared/corpus --out stages/classify/model --seed {seed}`
(same seed, same model file: synthesis, split, folds and XGBoost are all seeded, XGBoost runs on one thread).

## What it does
Predicts p(ocr) for a PDF from {n_features} PyMuPDF features of up to {sample_pages} sampled pages
(stages/classify/features.py). The classify stage routes to OCR when p >= **{threshold}** or when at least
{garbled_threshold} of the sampled characters are garbled (replacement, private-use or control characters),
else to Docling.

## Model
XGBoost {xgboost} (`binary:logistic`), {rounds} rounds, params `{params}`; classes weighted to equal total
weight. PyMuPDF {pymupdf}. Features: per-page measures (text / hidden text / images / drawings / garbled
characters / the per-page OCR rule) aggregated as mean, min and max over the sampled pages, and document
measures (pages, bytes per page, form, scanner or image-tool producer, garbled ratio, hidden-text ratio, share
of pages needing OCR over the whole document). Strongest by gain: {top}.

## Data
Labels say what the PDF needs: `text` = its text layer is usable (Docling), `ocr` = some or all of its visible
text is not in a usable text layer. Real PDFs from ../shared/corpus (manifest labels; `broken` ones are for
robustness tests, not labels) and synthetic derivatives of the corpus' text PDFs made at training time
(tools/router/synth.py: scans with skew, noise, JPEG or 1-bit compression and strips; scans under an
invisible OCR layer; broken ToUnicode maps; glyphs outlined as paths; mixed scanned/text documents; and, as
hard `text` negatives, text over background pictures and text documents with blank pages).
Split: {split} of source groups (near-identical corpus PDFs and all derivatives of one source share a
group), stratified by label, seed {seed}. {unreadable} PDFs could not be read and were left out.

| origin | label | train | held-out |
|---|---|---|---|
{data_rows}

Corpus labels changed (the corpus README expects a few mistakes):
{fixes}

## Metrics on the held-out split
Routes include the garbled-text rule; ROC AUC is the model's probability alone. The real-corpus rows are few
(mostly one-page pdf.js and OCRmyPDF test files): read them as a sanity check, not a precise estimate.

{metrics}

FinePDFs' router for comparison: ROC AUC 0.964, accuracy 0.929, OCR precision 0.66 / recall 0.75 at 0.5.

Held-out PDFs per origin (how many were routed to OCR):

| origin | label | PDFs | routed ocr |
|---|---|---|---|
{per_origin}

Misrouted held-out PDFs:
{misrouted}

## Threshold, chosen by cost
Out-of-fold probabilities (grouped 5-fold cross-validation on the training split, never the held-out split)
give the curve below. The threshold is the highest one that keeps out-of-fold OCR recall >= {target_recall}:
any lower threshold sends more text PDFs to the GPU, any higher one lets recall fall under the target.
`OCR share` depends on this dataset's class mix (ocr-heavy by construction); `text FPR` (share of text PDFs
sent to OCR) is the cost that carries over to a real crawl. Override with `[classify].threshold` or
`finepdfs classify --threshold`.

| threshold | OCR recall | OCR share | text FPR | OCR precision |
|---|---|---|---|---|
{curve_rows}

## Limits
- The real `ocr` class is small (tens of PDFs, mostly one-page test files); synthetic scans fill it in.
  Real-world scans with unusual structure (many tiny tiles, vector-drawn pages) may score lower.
- Scanned PDFs that carry an invisible OCR layer are labelled `ocr` (re-OCR: the existing layer's quality is
  unknown); raise the threshold or use `--force-route docling` where such layers are trusted.
- Mixed documents are labelled `ocr`; `pages_needing_ocr` says which pages need it.
- A text layer garbled into letters of another script cannot be told from real text in that script without
  a language model: the synthetic garbled PDFs never do that, so as not to teach the router that Cyrillic or
  CJK text is garbage.
"""


def model_card(r: dict) -> str:
    counts = defaultdict(lambda: {"train": 0, "test": 0})
    for c in r["counts"]:
        counts[(c["origin"], c["label"])][c["split"]] += c["n"]
    shown = (0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, r["threshold"])
    curve = [c for c in r["cost_curve_out_of_fold"] if c["threshold"] in shown]
    held_out = [
        ("held-out, all", r["held_out"]),
        ("held-out, real corpus only", r["held_out_corpus_only"]),
        ("held-out, all, at threshold 0.5", r["held_out_at_0.5"]),
    ]
    return CARD.format(
        date=r["date"],
        seed=r["seed"],
        n_features=len(r["features"]),
        sample_pages=r["sample_pages"],
        threshold=r["threshold"],
        garbled_threshold=f"{r['garbled_threshold']:.0%}",
        xgboost=r["versions"]["xgboost"],
        pymupdf=r["versions"]["pymupdf"],
        rounds=r["params"]["rounds"],
        params=json.dumps({k: v for k, v in r["params"].items() if k != "rounds"}),
        top=", ".join(f"`{k}`" for k, _ in r["top_features_gain"][:10]),
        split=f"{1 - r['test_size']:.0%} / {r['test_size']:.0%}",
        unreadable=r["unreadable"],
        data_rows="\n".join(
            f"| {o} | {lab} | {v['train']} | {v['test']} |" for (o, lab), v in sorted(counts.items())
        ),
        fixes="\n".join(f"- `{k}` relabelled ocr: {v}" for k, v in r["label_fixes"].items()),
        metrics=_metrics_table(held_out),
        per_origin="\n".join(
            f"| {v['origin']} | {v['label']} | {v['n']} | {v['routed_ocr']} |"
            for v in r["held_out_per_origin"].values()
        ),
        misrouted="\n".join(
            f"- {m['name']} (labelled {m['label']}, p={m['p']}, garbled={m['garbled']})"
            for m in r["misrouted_held_out"]
        )
        or "- none",
        target_recall=r["target_recall"],
        curve_rows="\n".join(
            f"| {c['threshold']:.2f} | {c['recall']:.4f} | {c['ocr_share']:.4f} | {c['text_fpr']:.4f} | "
            f"{c['precision']:.4f} |"
            for c in curve
        ),
    )


if __name__ == "__main__":
    command()
