"""python -m tools.ocr_quality [--systems cpu,rapidocr,...] [--json OUT.json] [--md OUT.md] [--workers 2]

Fetches what the manifest names (Debian packages, into $FINEPDFS_EVAL_CACHE or ~/.cache/finepdfs-eval),
builds the scans, runs every system through the ocr stage and prints the tables (tools/ocr_quality/README.md).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from tools.ocr_quality.build import MANIFEST, build_set
from tools.ocr_quality.evaluate import (
    DEFAULT_SYSTEMS,
    ensure_language_packs,
    evaluate,
    language_packs,
    parse_system,
)
from tools.ocr_quality.report import markdown


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.ocr_quality", description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", type=Path, default=MANIFEST)
    parser.add_argument("--systems", default=",".join(DEFAULT_SYSTEMS),
                        help="comma-separated: " + ", ".join(DEFAULT_SYSTEMS) + "; or NAME=ENGINE:key=value;... "
                        "(values as TOML, keys of [ocr]) for an experiment")
    parser.add_argument("--only", default="", help="comma-separated page ids or scripts to keep")
    parser.add_argument("--workers", type=int, default=2, help="page workers of each stage run")
    parser.add_argument("--work-dir", type=Path, default=None, help="keep the stage runs here (default: temp)")
    parser.add_argument("--json", type=Path, default=None, help="write the full report (every page) here")
    parser.add_argument("--md", type=Path, default=None, help="write the tables here")
    args = parser.parse_args(argv)
    pages = build_set(args.manifest, log=lambda message: print(message, file=sys.stderr))
    if args.only:
        keep = set(args.only.split(","))
        pages = [p for p in pages if p.id in keep or p.entry["script"] in keep]
    systems = [parse_system(s) for s in args.systems.split(";" if "=" in args.systems else ",") if s]
    if any(s.per_language for s in systems):
        ensure_language_packs(language_packs(pages), log=lambda message: print(message, file=sys.stderr))
    report = evaluate(pages, systems, workers=args.workers, work_dir=args.work_dir,
                      log=lambda message: print(message, file=sys.stderr))
    table = markdown(report)
    print(table)
    if args.json:
        args.json.write_text(json.dumps(report, indent=1, ensure_ascii=False))
    if args.md:
        args.md.write_text(table)
    return 0


if __name__ == "__main__":
    sys.exit(main())
