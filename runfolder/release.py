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


# FinePDFs-Edu's rule in FinePDFs' released pipeline (run_finepdfs_pipeline.py, its push step): a document is in
# the Edu subset when the maximum of its chunk scores is at least 0.5 (stages/filter/edu.py has the facts)
EDU_THRESHOLD = 0.5


def edu_dest(dest: str) -> str:
    """The Edu subset is written beside the release: DEST-edu."""
    return dest.rstrip("/") + "-edu"


def _write_shard(out, subset: str, index: int, table, totals: dict) -> None:
    import pyarrow.parquet as pq

    target = f"data/{subset}/train/{index:03d}_00000.parquet"
    out.makedirs(posixpath.dirname(target), exist_ok=True)
    with out.open(target, "wb") as f:
        pq.write_table(table, f, compression="zstd")
    totals["documents"] += table.num_rows
    totals["tokens"] += sum(n or 0 for n in table.column(schemas.TOKEN_COUNT).to_pylist())
    totals["files"] += 1


def _prepare(dest: str, overwrite: bool):
    from shared.runner import UsageError

    out = _folder(dest)
    if out.isdir("") and out.list_files(recursive=True) and not overwrite:
        raise UsageError(f"release: {dest} is not empty (--overwrite replaces its data/ and README.md)")
    if overwrite and out.isdir("data"):
        out.rm("data", recursive=True)
    return out


def release(run_folder: str, dest: str, overwrite: bool = False, edu_threshold: float | None = EDU_THRESHOLD
            ) -> dict:
    """Write DEST from RUN's final dataset and, unless ``edu_threshold`` is None, the Edu subset (documents whose
    edu_score >= edu_threshold; no <lang>_removed subsets) to DEST-edu. Returns {"full": {subset: {"documents": n,
    "tokens": n, "files": n}}, "edu": {...}, "edu_threshold": t, "unscored": n}."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from shared.runner import UsageError

    final = final_folder(run_folder.rstrip("/"))
    shards = subset_shards(final)
    if not shards:
        raise UsageError(f"release: no final dataset in {final} (run `finepdfs run --output {run_folder}` first)")
    out = _prepare(dest, overwrite)
    edu_out = _prepare(edu_dest(dest), overwrite) if edu_threshold is not None else None
    source = _folder(final)
    counts: dict[str, dict] = {}
    edu_counts: dict[str, dict] = {}
    unscored = 0
    for subset, paths in sorted(shards.items()):
        totals = {"documents": 0, "tokens": 0, "files": 0}
        edu_totals = {"documents": 0, "tokens": 0, "files": 0}
        for path in paths:
            with source.open(path, "rb") as f:
                table = pq.read_table(f)
            if not table.num_rows:
                continue
            table = release_table(table)
            _write_shard(out, subset, totals["files"], table, totals)
            unscored += table.column(schemas.EDU_SCORE).null_count
            if edu_out is None or subset.endswith("_removed"):
                continue
            edu = table.filter(pc.greater_equal(table.column(schemas.EDU_SCORE), edu_threshold))
            if edu.num_rows:
                _write_shard(edu_out, subset, edu_totals["files"], edu, edu_totals)
        if totals["files"]:
            counts[subset] = totals
        if edu_totals["files"]:
            edu_counts[subset] = edu_totals
    result = {"full": counts, "edu": edu_counts, "edu_threshold": edu_threshold, "unscored": unscored}
    with out.open("README.md", "wt") as f:
        f.write(dataset_card(run_folder, counts, result))
    if edu_out is not None and edu_counts:
        with edu_out.open("README.md", "wt") as f:
            f.write(dataset_card(run_folder, edu_counts, result, edu=True))
    return result


def _yaml_string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML string


def _edu_lines(result: dict, edu: bool) -> list[str]:
    """The card's section on the Edu subset: its rule, where it is, its counts."""
    threshold = result.get("edu_threshold")
    if threshold is None:
        return []
    lines = ["", "## Edu subset (FinePDFs-Edu's rule)", "",
             f"Documents whose `edu_score` (the maximum chunk score of FinePDFs-Edu's classifier of their language) "
             f"is at least {threshold:g}, FinePDFs-Edu's rule in its released pipeline; `<lang>_removed` subsets "
             f"are left out. {'This dataset is that subset.' if edu else 'Written beside this one, in `*-edu`.'}", ""]
    if result["edu"]:
        lines += ["| subset | documents | tokens |", "|---|---:|---:|"]
        lines += [f"| `{s}` | {n['documents']:,} | {n['tokens']:,} |" for s, n in result["edu"].items()]
        total = sum(n["documents"] for n in result["edu"].values())
        lines.append(f"| **all** | **{total:,}** | **{sum(n['tokens'] for n in result['edu'].values()):,}** |")
    else:
        lines.append("No document passed: none was written.")
    if result["unscored"]:
        lines += ["", f"{result['unscored']:,} documents of the release have no `edu_score` (null): the classifier's "
                  "weights were absent for their language when the filter ran; they are not in the Edu subset."]
    return lines


def dataset_card(run_folder: str, counts: dict[str, dict], result: dict | None = None, edu: bool = False) -> str:
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
    name = "finepdfs-stages release" + (" (Edu subset)" if edu else "")
    lines = ["---", "license: other", "task_categories:", "- text-generation", f"pretty_name: {name}"]
    if languages:
        lines += ["language:"] + [f"- {_yaml_string(tag)}" for tag in sorted(languages)]
    lines.append("configs:")
    for subset in counts:
        lines += [f"- config_name: {_yaml_string(subset)}", "  data_files:", "  - split: train",
                  f"    path: {_yaml_string(f'data/{subset}/train/*.parquet')}"]
    lines += ["---", "", f"# {name}", "",
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
    lines += _edu_lines(result or {}, edu)
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
@click.option("--overwrite", is_flag=True, help="Replace DEST's (and DEST-edu's) data/ and README.md.")
@click.option("--edu-threshold", type=float, default=EDU_THRESHOLD, show_default=True,
              help="The Edu subset (DEST-edu) keeps documents whose edu_score is at least this (FinePDFs-Edu's rule).")
@click.option("--no-edu", is_flag=True, help="Write no Edu subset.")
def command(run_folder: str, dest: str, overwrite: bool, edu_threshold: float, no_edu: bool) -> None:
    """Write OUT's final dataset (OUT/tokenize) to DEST as a Hugging Face dataset folder laid out like FinePDFs:
    DEST/data/<subset>/train/*.parquet (FinePDFs' columns first) and DEST/README.md, a dataset card with one
    config per subset and the documents and tokens of each. Load it with datasets.load_dataset(DEST, "eng_Latn").
    Beside it, DEST-edu: the Edu subset (edu_score >= --edu-threshold), laid out the same way."""
    result = release(run_folder, dest, overwrite, None if no_edu else edu_threshold)
    for subset, n in result["full"].items():
        edu = result["edu"].get(subset, {}).get("documents", 0)
        click.echo(f"  {subset:<24}{n['documents']:>8,} docs{n['tokens']:>12,} tokens{edu:>8,} edu", err=True)
    click.echo(f"release: {dest} ({len(result['full'])} subsets; card: {dest.rstrip('/')}/README.md)", err=True)
    if not no_edu:
        where = edu_dest(dest) if result["edu"] else "not written: no document passed"
        note = f"; {result['unscored']:,} documents have no edu_score (weights absent)" if result["unscored"] else ""
        click.echo(f"edu subset (edu_score >= {edu_threshold:g}): {where}{note}", err=True)
