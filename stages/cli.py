"""The `finepdfs` command: one subcommand per stage, plus `run` for the whole pipeline.

Stage modules import their heavy dependencies inside the command, so that each stage image (which installs only
its own stage's dependencies) can still load this app.
"""

from __future__ import annotations

import importlib

import typer

app = typer.Typer(
    name="finepdfs",
    help="FinePDFs as microstages: PDFs -> clean, deduplicated, language-tagged text. Each stage reads and "
    "writes Parquet shards; `finepdfs run` chains them locally.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)



@app.callback()
def main() -> None:
    """FinePDFs as microstages: each stage reads and writes Parquet shards; `finepdfs run` chains them."""


# (subcommand, module with a `command` function), in pipeline order.
STAGE_COMMANDS = [
    ("ingest", "stages.ingest.cli"),
    ("classify", "stages.classify.cli"),
    ("extract-docling", "stages.extract_docling.cli"),
    ("ocr", "stages.ocr.cli"),
    ("filter", "stages.filter.cli"),
    ("dedup", "stages.dedup.cli"),
    ("tokenize", "stages.tokenize.cli"),
    ("stats", "stages.stats.cli"),
]
EXTRA_COMMANDS = [
    ("run", "stages.pipeline"),
    ("train-router", "stages.classify.train"),
    ("eval-router", "stages.classify.evaluate"),
    ("report", "stages.stats.report"),
]

for _name, _module in STAGE_COMMANDS + EXTRA_COMMANDS:
    try:
        _command = importlib.import_module(_module).command
    except (ModuleNotFoundError, AttributeError):
        continue  # stage not built yet, or not in this image
    app.command(_name)(_command)

for _name, _module in [("dedup", "stages.dedup.cli")]:
    try:
        _sub = importlib.import_module(_module).subcommands
    except (ModuleNotFoundError, AttributeError):
        continue
    app.add_typer(_sub, name=f"{_name}-step")

if __name__ == "__main__":
    app()
