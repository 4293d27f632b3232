"""`finepdfs release OUT DEST`: the final dataset of a run as a Hugging Face dataset folder, laid out like FinePDFs.

    DEST/README.md                          dataset card: YAML `configs` (one per subset), counts, how it was made
    DEST/data/<subset>/train/NNN_00000.parquet   FinePDFs' columns first, in their order and types, then ours

Subsets are FinePDFs' (``eng_Latn``, ..., and ``<lang>_removed`` for documents under their language's threshold),
so code written for ``HuggingFaceFW/finepdfs`` reads DEST with the path changed:
``datasets.load_dataset(DEST, "eng_Latn")``, or datatrove / pyarrow over ``DEST/data/eng_Latn/train``. DEST may
be a local folder or an fsspec URI (s3://...). Pushing it to the Hub is one call (README.md of the project).
"""

from __future__ import annotations

import json
import posixpath
import time

import click

from runfolder.reader import final_folder, subset_shards
from runfolder.reader import folder as _folder
from shared import registry, schemas

# What each column holds: FinePDFs' meaning for theirs, ours for the rest (shown in the dataset card).
COLUMN_MEANINGS = {
    schemas.TEXT: "the extracted text, pages joined",
    schemas.ID: "document id (sha256 of the PDF bytes; FinePDFs: the WARC record id)",
    schemas.DUMP: "Common Crawl snapshot of the WARC file (CC-MAIN-YYYY-WW); null for PDF files",
    schemas.URL: "URL the PDF was fetched from (WARC-Target-URI); null for PDF files",
    schemas.DATE: "fetch date (WARC-Date); null for PDF files",
    schemas.FILE_PATH: "the WARC file (or PDF file) the document came from, relative to the input",
    schemas.OFFSET: "byte offset of the PDF's record in that WARC file; null for PDF files",
    schemas.TOKEN_COUNT: "tokens of the text (Qwen2.5 tokenizer unless configured otherwise)",
    schemas.LANGUAGE: "language, ISO 639-3 + script (eng_Latn)",
    schemas.PAGE_AVERAGE_LID: "language with the highest probability averaged over the pages",
    schemas.PAGE_AVERAGE_LID_SCORE: "that average probability",
    schemas.FULL_DOC_LID: "language of the whole text",
    schemas.FULL_DOC_LID_SCORE: "its probability",
    schemas.PER_PAGE_LANGUAGES: "language of each page (unknown: too little text)",
    schemas.IS_TRUNCATED: "the WARC record was truncated by the crawler",
    schemas.EXTRACTOR: "what produced the text (docling-native, docling-layout, rolmocr, rapidocr, tesseract)",
    schemas.PAGE_ENDS: "end offset (exclusive) of each page in text",
}


def release_table(table):
    """FinePDFs' columns first, in their order and types, then ours (FINAL_DOCUMENTS' order)."""
    import pyarrow as pa

    theirs = [name for name, _ in schemas.FINEPDFS_COLUMNS]
    columns, fields = [], []
    for name, kind in schemas.FINEPDFS_COLUMNS:
        columns.append(table.column(name).cast(kind))
        fields.append(pa.field(name, kind))
    for field in schemas.FINAL_DOCUMENTS:
        if field.name not in theirs and field.name in table.column_names:
            columns.append(table.column(field.name))
            fields.append(field)
    return pa.Table.from_arrays(columns, schema=pa.schema(fields))


def release(run_folder: str, dest: str, overwrite: bool = False) -> dict:
    """Write DEST from RUN's final dataset; returns {subset: {"documents": n, "tokens": n, "files": n}}."""
    import pyarrow.parquet as pq

    from shared.runner import UsageError

    final = final_folder(run_folder.rstrip("/"))
    shards = subset_shards(final)
    if not shards:
        raise UsageError(f"release: no final dataset in {final} (run `finepdfs run --output {run_folder}` first)")
    out = _folder(dest)
    if out.isdir("") and out.list_files(recursive=True) and not overwrite:
        raise UsageError(f"release: {dest} is not empty (--overwrite replaces its data/ and README.md)")
    if overwrite and out.isdir("data"):
        out.rm("data", recursive=True)
    source = _folder(final)
    counts: dict[str, dict] = {}
    for subset, paths in sorted(shards.items()):
        index = 0
        totals = {"documents": 0, "tokens": 0, "files": 0}
        for path in paths:
            with source.open(path, "rb") as f:
                table = pq.read_table(f)
            if not table.num_rows:
                continue
            table = release_table(table)
            target = f"data/{subset}/train/{index:03d}_00000.parquet"
            out.makedirs(posixpath.dirname(target), exist_ok=True)
            with out.open(target, "wb") as f:
                pq.write_table(table, f, compression="zstd")
            index += 1
            totals["documents"] += table.num_rows
            totals["tokens"] += sum(n or 0 for n in table.column(schemas.TOKEN_COUNT).to_pylist())
            totals["files"] += 1
        if totals["files"]:
            counts[subset] = totals
    with out.open("README.md", "wt") as f:
        f.write(dataset_card(run_folder, counts))
    return counts


def _yaml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML string


def dataset_card(run_folder: str, counts: dict[str, dict]) -> str:
    """README.md: YAML header (configs per subset) and what a reader needs to know."""
    import langcodes

    from runfolder.summary import ledger_summary
    from shared.manifest import package_version as _version
    from textkit.languages import language_name, subset_language

    languages = []
    for subset in counts:
        code = subset_language(subset).split("_")[0]
        try:
            tag = langcodes.Language.get(code).language
        except (ValueError, LookupError):
            tag = None
        if tag and tag not in languages and tag != "unknown":
            languages.append(tag)
    lines = ["---", "license: other", "task_categories:", "- text-generation", "pretty_name: finepdfs-stages release"]
    if languages:
        lines += ["language:"] + [f"- {_yaml_string(tag)}" for tag in sorted(languages)]
    lines.append("configs:")
    for subset in counts:
        lines += [f"- config_name: {_yaml_string(subset)}", "  data_files:", "  - split: train",
                  f"    path: {_yaml_string(f'data/{subset}/train/*.parquet')}"]
    lines += ["---", "", "# finepdfs-stages release", "",
              "Text extracted from PDFs with finepdfs-stages (a reproduction of HuggingFace's "
              "FinePDFs pipeline on datatrove), laid out like `HuggingFaceFW/finepdfs`: one subset (config) per "
              "language, ISO 639-3 + script, and `<lang>_removed` subsets holding the documents whose language "
              "score was under that language's threshold (FinePDFs keeps them apart rather than deleting them).",
              "", "## Subsets", "", "| subset | language | documents | tokens | files |", "|---|---|---:|---:|---:|"]
    for subset, n in counts.items():
        lines.append(f"| `{subset}` | {language_name(subset)} | {n['documents']:,} | {n['tokens']:,} | {n['files']} |")
    total_docs = sum(n["documents"] for n in counts.values())
    total_tokens = sum(n["tokens"] for n in counts.values())
    lines += [f"| **all** | | **{total_docs:,}** | **{total_tokens:,}** | |", "",
              "## Loading", "", "```python", "from datasets import load_dataset",
              f"ds = load_dataset(\"PATH_OR_REPO\", \"{next(iter(counts))}\", split=\"train\")", "```", "",
              "or any Parquet reader over `data/<subset>/train/*.parquet` (pyarrow, polars, datatrove's "
              "ParquetReader).", "", "## Columns", "",
              "FinePDFs' columns, in their order and types, then finepdfs-stages' own:", "",
              "| column | meaning |", "|---|---|"]
    for name, _ in schemas.FINEPDFS_COLUMNS:
        lines.append(f"| `{name}` | {COLUMN_MEANINGS.get(name, '')} |")
    theirs = {name for name, _ in schemas.FINEPDFS_COLUMNS}
    ours = [f.name for f in schemas.FINAL_DOCUMENTS if f.name not in theirs]
    lines.append(f"| {', '.join(f'`{n}`' for n in ours)} | finepdfs-stages' provenance, routing, page failures, "
                 "MinHash cluster and subset: see its shared/schemas.py |")
    lines += ["", "## How it was made", "",
              f"finepdfs-stages {_version()}, `finepdfs run`, then `finepdfs release` on "
              f"{time.strftime('%Y-%m-%d')}. Stages, in order:", ""]
    for stage in registry.STAGES:
        lines.append(f"- `{stage.name}`: {stage.summary}")
    ledger = ledger_summary(run_folder)
    if ledger:
        lines += ["", "Documents per stage (every document that entered a stage left it as an output, a counted "
                  "drop with its reason, or an error row):", "",
                  "| stage | in | out | dropped | failed |", "|---|---:|---:|---:|---:|"]
        for stage, t in ledger.items():
            lines.append(f"| {stage} | {t['docs_in']:,} | {t['docs_out']:,} | {t['docs_dropped']:,} | "
                         f"{t['docs_failed']:,} |")
    lines += ["", "## License", "", "The license of the text is that of the source PDFs: set `license` in the "
              "header before publishing.", ""]
    return "\n".join(lines)


@click.command("release")
@click.argument("run_folder", metavar="OUT")
@click.argument("dest", metavar="DEST")
@click.option("--overwrite", is_flag=True, help="Replace DEST's data/ and README.md.")
def command(run_folder: str, dest: str, overwrite: bool) -> None:
    """Write OUT's final dataset (OUT/tokenize) to DEST as a Hugging Face dataset folder laid out like FinePDFs:
    DEST/data/<subset>/train/*.parquet (FinePDFs' columns first) and DEST/README.md, a dataset card with one
    config per subset and the documents and tokens of each. Load it with datasets.load_dataset(DEST, "eng_Latn")."""
    counts = release(run_folder, dest, overwrite)
    for subset, n in counts.items():
        click.echo(f"  {subset:<24}{n['documents']:>8,} docs{n['tokens']:>12,} tokens", err=True)
    click.echo(f"release: {dest} ({len(counts)} subsets; card: {dest.rstrip('/')}/README.md)", err=True)
