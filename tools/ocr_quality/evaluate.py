"""OCR quality on the scan set: every system through the real ocr stage, in one run, scored per script and layout.

Each system is a `finepdfs ocr` run (in this process, the stage's own workers) over the set's image-only PDFs
(one document per page), with its engine and config. Per page: similarity of the OCR text to the true text
(text.similarity: 1 - CER after whitespace normalisation), the engine, detected script and orientation, the
page's confidence, whether it was failed, and the CPU seconds its page worker spent on it (render, detection,
OCR, ordering; the stage's page log). Pages per CPU second = pages / the sum of those CPU seconds (worker
start-up and model loading, paid once per worker, are not in it).

The language-ID check runs `finepdfs filter` (post-processing, language ID with its thresholds, quality
filters) over the default system's output and lists, per true language, the pages dropped and why.
"""

from __future__ import annotations

import json
import statistics
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from tools.ocr_quality.build import ScanPage
from tools.ocr_quality.text import similarity

# Tesseract language packs per language of the set (the "languages known in advance" baseline)
TESSERACT_LANGS = {"en": "eng", "de": "deu", "fr": "fra", "nl": "nld", "no": "nor", "nb": "nor", "da": "dan",
                   "sl": "slv", "br": "bre", "hr": "hrv", "es": "spa", "it": "ita", "pl": "pol", "cs": "ces",
                   "ru": "rus", "uk": "ukr", "bg": "bul", "sr": "srp", "mn": "mon", "el": "ell", "zh": "chi_sim",
                   "ja": "jpn", "ar": "ara", "fa": "fas", "ur": "urd", "he": "heb", "hi": "hin", "mr": "mar",
                   "ko": "kor", "sa": "san", "ne": "nep", "la": "lat", "eo": "epo", "ca": "cat", "pt": "por",
                   "ro": "ron", "sv": "swe", "fi": "fin", "hu": "hun", "tr": "tur", "eu": "eus", "cy": "cym"}


@dataclass(frozen=True)
class System:
    name: str
    engine: str
    config: dict = field(default_factory=dict)
    per_language: bool = False  # one stage run per true language, tesseract_lang = its pack (+ eng)
    why: str = ""


SYSTEMS = {
    "rapidocr-before": System("rapidocr-before", "rapidocr",
                              {"cpu_finepdfs_size": True, "deskew": False, "reading_order": "rows"},
                              why="the stage before this work: RapidOCR on FinePDFs' 1280 px image, rows"),
    "tesseract-before": System("tesseract-before", "tesseract",
                               {"cpu_finepdfs_size": True, "deskew": False, "reading_order": "engine",
                                "tesseract_lang": "eng"},
                               why="the stage before this work with --engine tesseract: eng, 1280 px"),
    "tesseract-lang": System("tesseract-lang", "tesseract", per_language=True,
                             why="Tesseract told each page's language (+eng), scan resolution, columns"),
    "rapidocr": System("rapidocr", "rapidocr", why="RapidOCR alone, scan resolution, deskew, columns"),
    "tesseract": System("tesseract", "tesseract", why="Tesseract alone: OSD script + orientation, script packs"),
    "cpu-script": System("cpu-script", "cpu", {"language_probe": 0},
                         why="the default before language after script: each page read with its script's pack"),
    "cpu": System("cpu", "cpu", why="the default: OSD, then the engine chosen per script, the language's model"),
}
DEFAULT_SYSTEMS = ("rapidocr-before", "tesseract-before", "tesseract-lang", "rapidocr", "tesseract", "cpu-script",
                   "cpu")
BENCH_SYSTEMS = ("rapidocr-before", "tesseract-lang", "rapidocr", "tesseract", "cpu-script", "cpu")


def language_packs(pages: list[ScanPage]) -> list[str]:
    """The Tesseract language models the ``tesseract-lang`` baseline needs for these pages."""
    return sorted({"eng", *(TESSERACT_LANGS.get(p.entry["language"], "eng") for p in pages)})


def ensure_language_packs(models: list[str], log=print) -> None:
    """Install Debian's tesseract-ocr-<lang> packages that are missing (as root), else say which to install."""
    import os
    import shutil
    import subprocess

    from stages.ocr.scripts import tessdata_dir

    missing = [m for m in models if not (tessdata_dir() / f"{m}.traineddata").is_file()]
    if not missing:
        return
    packages = [f"tesseract-ocr-{m.replace('_', '-')}" for m in missing]
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        raise SystemExit(f"the tesseract-lang baseline needs: apt-get install {' '.join(packages)}")
    log(f"installing {' '.join(packages)} (the tesseract-lang baseline's language models)")
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *packages], check=True,
                   capture_output=True)


def parse_system(spec: str) -> System:
    """NAME, or NAME=ENGINE:key=value,key=value (values as TOML) for experiments."""
    import tomllib

    if "=" not in spec.split(":")[0]:
        return SYSTEMS[spec]
    name, rest = spec.split("=", 1)
    engine, _, options = rest.partition(":")
    config = {}
    for item in filter(None, options.split(",")):
        key, _, value = item.partition("=")
        try:
            config.update(tomllib.loads(f"{key} = {value}"))
        except tomllib.TOMLDecodeError as error:
            raise SystemExit(f"--systems: {item!r} in {spec!r} is not key=value with a TOML value ({error}); "
                             "several systems with settings are separated by ';'") from None
    return System(name, engine, config, why="custom")


def _toml_value(value) -> str:
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_toml_value(v)}" for k, v in value.items()) + " }"
    return json.dumps(value)


def _write_config(path: Path, config: dict) -> None:
    lines = ["[ocr]"] + [f"{key} = {_toml_value(value)}" for key, value in config.items()]
    path.write_text("\n".join(lines) + "\n")


def run_system(system: System, pages: list[ScanPage], work: Path, workers: int) -> dict[str, dict]:
    """page id -> {text, failed, confidence, engine, script, orientation, cpu_s} for one system."""
    from shared import schemas
    from shared.shards import read_dataset
    from stages.cli import invoke
    from textkit.pages import split_pages
    from tools.ocr.fixtures import routed_row, write_routed_shard

    groups: dict[str, list[ScanPage]] = defaultdict(list)
    for page in pages:
        groups[page.entry["language"] if system.per_language else ""].append(page)
    results: dict[str, dict] = {}
    for group, members in sorted(groups.items()):
        folder = work / system.name / (group or "all")
        config = dict(system.config)
        if system.per_language:
            pack = TESSERACT_LANGS.get(group, "eng")
            config["tesseract_lang"] = pack if pack == "eng" else f"{pack}+eng"
        config["page_log"] = str(folder / "pages")
        config["render_workers"] = workers
        folder.mkdir(parents=True, exist_ok=True)
        _write_config(folder / "ocr.toml", config)
        rows = [routed_row(p.pdf.read_bytes(), p.id, doc_id=p.id) for p in members]
        write_routed_shard(rows, folder / "in")
        code = invoke("ocr", "--input", str(folder / "in"), "--output", str(folder / "out"), "--engine", system.engine,
                      "--config", str(folder / "ocr.toml"))
        if code:
            raise RuntimeError(f"{system.name}: the ocr stage failed (exit {code}); logs under {folder}/out")
        out = {row[schemas.ID]: row for row in read_dataset(folder / "out").to_pylist()}
        log = {}
        for file in sorted((folder / "pages").glob("*.jsonl")):
            for line in file.read_text().splitlines():
                item = json.loads(line)
                log[item["id"]] = item
        for page in members:
            row, item = out.get(page.id), log.get(page.id, {})
            text = split_pages(row[schemas.TEXT], row[schemas.PAGE_ENDS])[0] if row else ""
            failed = row is None or bool(row[schemas.FAILED_PAGES])
            results[page.id] = {"text": "" if failed else text, "failed": failed, "engine": item.get("engine"),
                                "script": item.get("script"), "orientation": item.get("orientation"),
                                "confidence": item.get("confidence"), "cpu_s": item.get("cpu_s")}
    return results


def score(pages: list[ScanPage], results: dict[str, dict]) -> list[dict]:
    rows = []
    for page in pages:
        result = results[page.id]
        entry = page.entry
        rows.append({
            "id": page.id, "script": entry["script"], "language": entry["language"], "columns": entry["columns"],
            "rotate": entry["scan"]["rotate"],
            "similarity": round(similarity(page.truth, result["text"], entry["script"]), 4),
            "failed": result["failed"], "engine": result["engine"], "detected_script": result["script"],
            "orientation": result["orientation"], "confidence": result["confidence"], "cpu_s": result["cpu_s"],
        })
    return rows


GROUPS = (
    ("Latin", lambda r: r["script"] == "Latin"),
    ("Cyrillic", lambda r: r["script"] == "Cyrillic"),
    ("Greek", lambda r: r["script"] == "Greek"),
    ("Han", lambda r: r["script"] == "Han"),
    ("Japanese", lambda r: r["script"] == "Japanese"),
    ("Arabic", lambda r: r["script"] == "Arabic"),
    ("other scripts", lambda r: r["script"] in ("Hebrew", "Devanagari", "Hangul")),
    ("one column", lambda r: r["columns"] == 1),
    ("two columns", lambda r: r["columns"] == 2),
    ("turned pages", lambda r: r["rotate"] != 0),
    ("all", lambda r: True),
)


def summarize(rows: list[dict]) -> dict[str, dict]:
    summary = {}
    for name, keep in GROUPS:
        chosen = [r for r in rows if keep(r)]
        if not chosen:
            continue
        cpu = sum(r["cpu_s"] or 0.0 for r in chosen)
        summary[name] = {
            "pages": len(chosen),
            "similarity": round(statistics.fmean(r["similarity"] for r in chosen), 4),
            "min_similarity": round(min(r["similarity"] for r in chosen), 4),
            "failed": sum(r["failed"] for r in chosen),
            "cpu_s": round(cpu, 2),
            "pages_per_cpu_s": round(len(chosen) / cpu, 4) if cpu else None,
        }
    return summary


def script_detection(rows: list[dict]) -> dict:
    """How often the detected script (OSD, mapped) and orientation were right, per true script."""
    by_script: dict[str, dict] = defaultdict(lambda: {"pages": 0, "script_right": 0, "orientation_right": 0})
    for row in rows:
        if row["detected_script"] is None:  # this system does not detect scripts
            continue
        cell = by_script[row["script"]]
        cell["pages"] += 1
        cell["script_right"] += row["detected_script"] == row["script"]
        cell["orientation_right"] += (row["orientation"] or 0) == (360 - row["rotate"]) % 360  # PIL turns ccw
    return dict(by_script)


def check_language_id(pages: list[ScanPage], results: dict[str, dict], work: Path, min_similarity: float) -> dict:
    """Run `finepdfs filter` on one system's OCR output; per true language: kept in its subset, tagged as another,
    or dropped (by reason; lid_low_score includes FinePDFs' ``<lang>_removed`` subsets); and the pages at or above
    ``min_similarity`` that language ID dropped (the target is none)."""
    from shared import schemas
    from shared.config import stage_settings
    from shared.langid import LanguageIdentifier, choose_lid_model
    from shared.shards import read_dataset
    from stages.cli import invoke
    from stages.filter.postprocess import content_text
    from textkit.languages import finepdfs_code, subset_language, text_scripts

    ocr_out = sorted(work.glob("cpu/*/out"))
    if not ocr_out:
        return {}
    out = work / "filter"
    code = invoke("filter", "--input", ",".join(str(p) for p in ocr_out), "--output", str(out), "--force")
    if code:
        raise RuntimeError(f"the filter stage failed (exit {code}); logs under {out}")
    settings = stage_settings("filter")
    identifier = LanguageIdentifier(choose_lid_model(settings["lid_model"], None, settings["glotlid_model"]),
                                    min_chars=settings["min_lid_chars"])
    thresholds = dict(settings["lid_thresholds"])
    drops = {row[schemas.ID]: row[schemas.DROP_REASON] for row in read_dataset(out / "drops").to_pylist()}
    kept: dict[str, str] = {}  # id -> the subset it is in
    for subset in sorted(p for p in out.iterdir() if p.is_dir() and not p.name.startswith("_")
                         and p.name not in ("drops", "errors", "ledger")):
        for row in read_dataset(subset).to_pylist():
            kept[row[schemas.ID]] = subset.name
    by_language: dict[str, dict] = defaultdict(lambda: {"pages": 0, "kept": 0, "dropped": {}})
    lid_dropped_good, scores = [], []
    for page in pages:
        language = finepdfs_code(page.entry["language"], text_scripts(page.truth))
        cell = by_language[language]
        cell["pages"] += 1
        text = content_text(results[page.id]["text"])
        best, score = identifier.identify([text], text).best
        sim = similarity(page.truth, results[page.id]["text"], page.entry["script"])
        scores.append({"id": page.id, "language": language, "lid": best, "lid_score": round(score or 0.0, 4),
                       "threshold": thresholds.get(best, settings["min_lid_score"]), "similarity": round(sim, 4)})
        if sim >= min_similarity and best == language:
            cell["min_lid_score_of_good_pages"] = round(min(cell.get("min_lid_score_of_good_pages", 1.0),
                                                            score or 0.0), 4)
        subset = kept.get(page.id)
        reason = drops.get(page.id)
        if subset is not None and subset.endswith("_removed"):
            reason = reason or "lid_low_score"
        if subset is not None and reason is None:
            cell["kept"] += 1
            if subset_language(subset) != language:
                cell.setdefault("tagged_as", {})
                cell["tagged_as"][subset] = cell["tagged_as"].get(subset, 0) + 1
        elif reason is not None:
            cell["dropped"][reason] = cell["dropped"].get(reason, 0) + 1
            if reason == "lid_low_score" and sim >= min_similarity:
                lid_dropped_good.append({"id": page.id, "language": language, "similarity": round(sim, 4),
                                         "lid": best, "lid_score": round(score or 0.0, 4)})
    return {"by_language": dict(sorted(by_language.items())), "lid_dropped_at_or_above": lid_dropped_good,
            "min_similarity": min_similarity, "pages": scores}


def evaluate(pages: list[ScanPage], systems: list[System], workers: int = 2, work_dir: Path | None = None,
             lid_min_similarity: float = 0.85, log=print) -> dict:
    report: dict = {"pages": len(pages), "systems": {}, "rows": {}}
    with tempfile.TemporaryDirectory(prefix="finepdfs-ocr-quality-") as tmp:
        work = Path(work_dir or tmp)
        for system in systems:
            log(f"ocr quality: {system.name} ({system.why}) on {len(pages)} pages")
            results = run_system(system, pages, work, workers)
            rows = score(pages, results)
            report["systems"][system.name] = {"why": system.why, "engine": system.engine,
                                              "config": system.config, "summary": summarize(rows),
                                              "script_detection": script_detection(rows)}
            report["rows"][system.name] = rows
            if system.name == "cpu":
                report["language_id"] = check_language_id(pages, results, work, lid_min_similarity)
    return report
