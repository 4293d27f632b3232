"""The evaluation's tables as Markdown (printed by the command, embedded in `just bench`'s report)."""

from __future__ import annotations


def markdown(report: dict) -> str:
    systems = report["systems"]
    groups = [g for g in next(iter(systems.values()))["summary"]] if systems else []
    lines = [f"OCR quality set: {report['pages']} pages; similarity = 1 - CER to the text layer (whitespace "
             "normalised), mean per group; pages/CPU s = pages / page-worker CPU seconds.", ""]
    lines.append("| group (pages) | " + " | ".join(systems) + " |")
    lines.append("|---|" + "---:|" * len(systems))
    for group in groups:
        pages = next(iter(systems.values()))["summary"][group]["pages"]
        cells = []
        for name in systems:
            cell = systems[name]["summary"].get(group)
            cells.append("-" if cell is None else f"{cell['similarity']:.3f}")
        lines.append(f"| {group} ({pages}) | " + " | ".join(cells) + " |")
    lines.append("| **pages / CPU s** (all) | " + " | ".join(
        _rate(systems[name]["summary"].get("all", {}).get("pages_per_cpu_s")) for name in systems) + " |")
    lines.append("| failed pages | " + " | ".join(
        str(systems[name]["summary"].get("all", {}).get("failed", 0)) for name in systems) + " |")
    lines += ["", "Pages per CPU second by script:", "",
              "| group | " + " | ".join(systems) + " |", "|---|" + "---:|" * len(systems)]
    for group in groups:
        lines.append(f"| {group} | " + " | ".join(
            _rate(systems[name]["summary"].get(group, {}).get("pages_per_cpu_s")) for name in systems) + " |")
    detection = {name: s["script_detection"] for name, s in systems.items() if s["script_detection"]}
    for name, table in detection.items():
        lines += ["", f"Script / orientation detection ({name}): " + ", ".join(
            f"{script} {cell['script_right']}/{cell['pages']} script, {cell['orientation_right']}/{cell['pages']} "
            "orientation" for script, cell in sorted(table.items()))]
    lid = report.get("language_id")
    if lid:
        lines += ["", "Language ID on the `cpu` output (`finepdfs filter`, default thresholds), per true language:",
                  "", "| language | pages | kept | dropped (reason) | kept as another language | lowest LID score of "
                  f"pages >= {lid['min_similarity']} similar |", "|---|---:|---:|---|---|---:|"]
        for language, cell in lid["by_language"].items():
            dropped = ", ".join(f"{k}: {v}" for k, v in cell["dropped"].items()) or "-"
            other = ", ".join(f"{k}: {v}" for k, v in cell.get("tagged_as", {}).items()) or "-"
            lowest = cell.get("min_lid_score_of_good_pages")
            lines.append(f"| {language} | {cell['pages']} | {cell['kept']} | {dropped} | {other} | "
                         f"{'-' if lowest is None else f'{lowest:.3f}'} |")
        bad = lid["lid_dropped_at_or_above"]
        lines += ["", f"Pages with similarity >= {lid['min_similarity']} dropped by lid_low_score: "
                  + (", ".join(f"{b['id']} ({b['similarity']})" for b in bad) if bad else "none")]
    return "\n".join(lines) + "\n"


def _rate(value) -> str:
    return "-" if value is None else f"{value:.3f}"
