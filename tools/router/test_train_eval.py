"""train-router and eval-router on tiny labelled folders; synthetic derivatives carry honest labels."""

import json
import re
from pathlib import Path

import numpy as np
import pytest

from stages.classify import features as F
from stages.classify.model import RouterModel, RoutingRule
from tools.pdf_fixtures import make_pdf
from tools.router.evaluate import command as eval_router
from tools.router.evaluate import metrics, roc_auc
from tools.router.synth import VARIANT_LABELS, make_variants
from tools.router.train import choose_threshold, split_groups
from tools.router.train import command as train_router

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


def run(command, *args, **kwargs) -> int:
    """A click command in this process, keyword arguments as its --options; its exit code."""
    import click

    argv = [str(a) for a in args]
    for key, value in kwargs.items():
        flag = "--" + key.replace("_", "-")
        argv += [flag] if value is True else [f"--no-{flag[2:]}"] if value is False else [flag, str(value)]
    try:
        command.main(args=argv, standalone_mode=False)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    except click.ClickException as error:
        return error.exit_code
    return 0


def printed(out: str, name: str) -> float:
    return float(re.search(rf"{name}\s+([0-9.]+)", out).group(1))


def test_auc_and_metrics_by_hand():
    y = np.array([1, 1, 0, 0, 1])
    assert roc_auc(y, np.array([0.9, 0.8, 0.1, 0.2, 0.7])) == 1.0
    assert roc_auc(y, np.array([0.5, 0.5, 0.5, 0.5, 0.5])) == 0.5
    assert roc_auc(y, np.array([0.9, 0.1, 0.5, 0.2, 0.7])) == pytest.approx(4 / 6)
    m = metrics(y, np.zeros(5), np.array([1, 0, 1, 0, 1]))
    assert (m.tp, m.fn, m.fp, m.tn) == (2, 1, 1, 1)
    assert m.precision == pytest.approx(2 / 3) and m.recall == pytest.approx(2 / 3) and m.accuracy == 0.6


def test_routing_rule_order_and_threshold_choice():
    rule = RoutingRule(threshold=0.5, ocr_if_garbled=True, garbled_threshold=0.35)
    assert rule.route(0.5, 0.0) == ("ocr", "model")
    assert rule.route(0.1, 0.4) == ("ocr", "garbled_text")
    assert rule.route(0.1, 0.3) == ("docling", "model")
    assert RoutingRule(threshold=0.5, ocr_if_garbled=False, garbled_threshold=0.35).route(0.1, 0.9) == (
        "docling", "model")
    assert RoutingRule(0.5, True, 0.35, force_route="docling").route(0.99, 1.0) == ("docling", "forced")
    curve = [{"threshold": t, "recall": r} for t, r in [(0.1, 1.0), (0.2, 0.98), (0.3, 0.96), (0.4, 0.9)]]
    assert choose_threshold(curve, 0.95) == 0.3  # the cheapest threshold that keeps the recall


def test_split_keeps_groups_together_and_is_seeded(labelled_folder):
    from tools.router.dataset import load_labelled

    items = [i for i in load_labelled(labelled_folder) if i.label != "broken"]
    test = split_groups(items, 0.3, seed=1)
    assert test == split_groups(items, 0.3, seed=1)
    labels = {i.label for i in items if i.group in test}
    assert labels == {"text", "ocr"}  # stratified: both classes held out


def test_eval_router_prints_the_metrics(labelled_folder, capsys):
    assert run(eval_router, str(labelled_folder), threshold=0.5, workers=1) == 0
    out = capsys.readouterr().out
    assert "8 PDFs, threshold 0.5" in out
    assert printed(out, "ROC AUC") == 1.0
    assert printed(out, "OCR recall") == 1.0
    assert re.search(r"labelled ocr\s+4\s+0", out) and re.search(r"labelled text\s+0\s+4", out)
    assert "error rows         2 (CorruptPdf=1, EncryptedPdf=1)" in out


def test_eval_router_refuses_a_missing_folder(tmp_path):
    assert run(eval_router, str(tmp_path / "absent")) == 2


def test_train_router_on_a_tiny_folder_writes_a_loadable_model_and_card(labelled_folder, tmp_path, capsys):
    out = tmp_path / "model"
    code = run(
        train_router,
        corpus=str(labelled_folder),
        out=str(out),
        cache_dir=str(tmp_path / "cache"),
        seed=3,
        synthetic=True,
        rounds=20,
        workers=1,
        target_recall=0.9,
    )
    assert code == 0
    report = json.loads((out / "report.json").read_text())
    assert report["held_out"]["n"] >= 2 and report["unreadable"] == 0
    assert report["features"] == F.FEATURE_NAMES
    card = (out / "MODEL_CARD.md").read_text()
    assert "ROC AUC" in card and f"p >= **{report['threshold']}**" in card
    model = RouterModel(out / "router.xgb.json")
    assert model.trained_threshold == report["threshold"]
    scan, text = (F.extract_features(make_pdf(k)).vector for k in (["scan"], ["text", "text"]))
    assert model.predict_one(scan) > model.predict_one(text)
    capsys.readouterr()
    assert run(eval_router, str(labelled_folder), model=str(out / "router.xgb.json"), workers=1) == 0
    assert "ROC AUC" in capsys.readouterr().out


@pytest.mark.parametrize("seed", [0, 2])
def test_synthetic_derivatives_are_what_their_labels_say(tmp_path, seed):
    made = make_variants(make_pdf(["text", "text"]), f"source-{seed}", tmp_path, seed)
    assert made and {d.variant for d in made} <= set(VARIANT_LABELS)
    for doc in made:
        assert doc.label == VARIANT_LABELS[doc.variant] and doc.path.is_file()
        feats = F.extract_features(doc.path.read_bytes())
        if doc.variant in ("scan", "scan_ocr_layer", "outlined"):
            assert feats.pages_needing_ocr == [0, 1] and feats.as_dict()["page_chars_log_max"] < 2, (
                doc.variant
            )
        elif doc.variant == "mixed":
            assert len(feats.pages_needing_ocr) == 1  # one of the two pages became a scan
        elif doc.variant == "garbled":
            assert feats.garbled_ratio > 0.9 or feats.as_dict()["page_punct_frac_mean"] > 0.2
        else:  # text negatives: the text layer is intact
            assert feats.pages_needing_ocr == [] and feats.as_dict()["page_chars_log_max"] > 5, doc.variant


@pytest.mark.corpus
@pytest.mark.slow
def test_committed_model_on_the_held_out_corpus_pdfs():
    """The committed model meets the targets on the real corpus PDFs of its held-out split."""
    if not (CORPUS / "manifest.csv").is_file():
        pytest.skip(f"../shared/corpus is absent (looked in {CORPUS}): corpus test skipped")
    from tools.router.dataset import BROKEN, OCR, extract_all, load_labelled
    from tools.router.evaluate import route_all

    model = RouterModel()
    report = json.loads((Path(F.__file__).parent / "model" / "report.json").read_text())
    items = [i for i in load_labelled(CORPUS) if i.label != BROKEN]
    held_out = split_groups(items, report["test_size"], report["seed"])
    rows = [r for r in extract_all([i for i in items if i.group in held_out]) if r.vector is not None]
    probs = model.predict(np.stack([r.vector for r in rows]))
    routed = route_all(
        probs, np.array([r.garbled_ratio for r in rows]), RoutingRule(report["threshold"], True, 0.35)
    )
    m = metrics(np.array([r.item.label == OCR for r in rows]), probs, routed)
    assert m.n >= 30 and m.auc >= 0.97 and m.recall >= 0.95
