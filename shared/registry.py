"""The stage registry: every stage of the pipeline, declared once.

Everything that needs to know the stages reads this table: the `finepdfs` CLI (one subcommand per stage),
`finepdfs run` (the order and the run-folder layout), the stats summary and the run report, the bench, the image
builds and their wheel sets, the Slurm planner (orchestration/). compose.yaml and orchestration/cluster.toml are
checked against it by tests. Adding a stage means one entry here and one folder under stages/.

Standard library only: the Slurm driver reads it with whatever python3 a login node has.

A stage has one or more steps. Each step is one datatrove pipeline with its own tasks and its own completion
markers (``<step output>/ledger/<rank>.json``); a stage with one step has a single step named like the stage.
On Slurm every step is its own job array; locally `finepdfs <stage>` runs the steps in order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

TASKS = "tasks"  # a step's task count is the run's --tasks


@dataclass(frozen=True)
class Resources:
    """What one task of a stage asks a cluster for, where it differs from orchestration/cluster.toml's
    [defaults] (None: the cluster's default). A cluster's [stages.<name>] overrides these."""

    cpus: int | None = None
    mem: str | None = None
    time: str | None = None
    partition: str | None = None  # a key of cluster.toml's [partitions]
    throttle: int | None = None  # at most this many tasks of one array at once; 0 = no limit


@dataclass(frozen=True)
class Step:
    """One datatrove pipeline of a stage.

    ``input`` / ``output`` are templates: ``{inputs}`` is the stage's input (comma-separated URIs), ``{output}``
    the stage's output folder. ``tasks`` is ``TASKS`` (the run's --tasks), a number, or the name of a key of the
    stage's config section that holds the number (dedup's buckets: ``num_buckets``).

    ``output`` holds the step's ledger (its completion markers), drops, errors and datatrove logs, and its
    documents too unless ``data`` names another folder: the final dataset is a folder of data only (loadable with
    ``datasets.load_dataset("parquet", data_dir=...)``), its bookkeeping one level down in ``__stage/``, a name
    that ``datasets`` and ``pyarrow.dataset`` skip.
    """

    name: str
    input: str = "{inputs}"
    output: str = "{output}"
    tasks: str | int = TASKS
    data: str | None = None  # where the step's documents go, when not in ``output``

    def input_uri(self, inputs: str, output: str) -> str:
        return self.input.format(inputs=inputs, output=output.rstrip("/"))

    def output_uri(self, output: str) -> str:
        return self.output.format(output=output.rstrip("/"))

    def data_uri(self, output: str) -> str:
        return (self.data or self.output).format(output=output.rstrip("/"))


# The bookkeeping folder of a step whose data folder must hold nothing but data (see Step.data).
BOOKKEEPING_DIR = "__stage"


@dataclass(frozen=True)
class Stage:
    name: str  # subcommand, config section, image, run-folder subfolder
    summary: str  # one line for --help and the README
    reads: str | None  # dataset (shared.schemas.DATASETS key) read; None: the user's input folder
    writes: str | None  # dataset written; None: the stage writes reports, not documents
    inputs: tuple[str, ...] = ()  # run-folder paths of the datasets read; () = the run's --input
    extra: str = ""  # the pyproject extra its image installs (default: the stage's name)
    apt_packages: tuple[str, ...] = ()  # Debian packages its image installs
    resources: Resources = field(default_factory=Resources)
    steps: tuple[Step, ...] = ()
    module: str = ""  # the Python module with build(run); default stages.<name with _>.stage

    @property
    def package(self) -> str:
        return "stages." + self.name.replace("-", "_")

    @property
    def module_name(self) -> str:
        return self.module or f"{self.package}.stage"

    @property
    def image(self) -> str:
        return self.name

    @property
    def pyproject_extra(self) -> str:
        return self.extra or self.name

    @property
    def all_steps(self) -> tuple[Step, ...]:
        return self.steps or (Step(self.name),)

    @property
    def multi_step(self) -> bool:
        return len(self.all_steps) > 1

    def step(self, name: str | None) -> Step:
        if name is None and not self.multi_step:
            return self.all_steps[0]
        for step in self.all_steps:
            if step.name == name:
                return step
        raise KeyError(f"stage {self.name} has no step {name!r}: one of {', '.join(self.step_names)}")

    @property
    def step_names(self) -> list[str]:
        return [s.name for s in self.all_steps]

    def input_uris(self, run_folder: str, run_input: str) -> str:
        """The stage's --input inside a run folder (what `finepdfs run`, compose and Slurm pass)."""
        if not self.inputs:
            return run_input
        return ",".join(f"{run_folder.rstrip('/')}/{path}" for path in self.inputs)

    def output_uri(self, run_folder: str) -> str:
        return f"{run_folder.rstrip('/')}/{self.name}"

    def ledger_folder(self, stage_output: str) -> str:
        """Where the stage's last step keeps its ledger (what the report and the run summary read)."""
        return self.all_steps[-1].output_uri(stage_output)

    @property
    def upstream(self) -> list[str]:
        """Stages whose output this one reads (the first path component of each input)."""
        return list(dict.fromkeys(path.split("/")[0] for path in self.inputs))


# The ocr stage's CPU engines read with Debian's Tesseract models (libtesseract itself comes with the tesserocr
# wheel): OSD (script + orientation per page), English, and every horizontal script pack Debian 12 ships (each
# reads a whole script, every language written in it; about 320 MB). The image installs them; on a machine,
# scripts/services.d/ocr.sh does (`scripts/just run`, `scripts/just test`).
TESSERACT_SCRIPT_PACKS = (
    "arab", "armn", "beng", "cans", "cher", "cyrl", "deva", "ethi", "frak", "geor", "grek", "gujr", "guru",
    "hang", "hans", "hant", "hebr", "jpan", "khmr", "knda", "laoo", "latn", "mlym", "mymr", "orya", "sinh",
    "syrc", "taml", "telu", "thaa", "thai", "tibt", "viet",
)  # fmt: skip
# Language models for the second read of a page (stages/ocr: read with the script's pack, identify the language
# of the text, read again with that language's model): the languages of FinePDFs' largest subsets per script.
TESSERACT_LANGUAGE_PACKS = (
    "ara", "ces", "chi-sim", "dan", "deu", "ell", "fas", "fra", "heb", "hin", "hun", "ita", "jpn", "kor", "lat",
    "nld", "pol", "por", "ron", "rus", "spa", "swe", "tur", "ukr", "urd", "vie",
)  # fmt: skip
OCR_APT_PACKAGES = ("tesseract-ocr-osd", "tesseract-ocr-eng",
                    *(f"tesseract-ocr-script-{pack}" for pack in TESSERACT_SCRIPT_PACKS),
                    *(f"tesseract-ocr-{lang}" for lang in TESSERACT_LANGUAGE_PACKS))

# In pipeline order (FinePDFs'): the order `finepdfs run` runs them and the report shows them.
STAGES: tuple[Stage, ...] = (
    Stage(
        "ingest",
        "Folders of PDFs and WARC files -> raw PDF shards (bytes, sha256), exact duplicates dropped.",
        reads=None,
        writes="raw_pdfs",
        resources=Resources(mem="8G"),
        steps=(
            Step("hash", output="{output}/_hashes"),  # sha256 of every PDF: exact dedup is global over the input
            Step("read"),
        ),
    ),
    Stage(
        "classify",
        "XGBoost OCR router on PyMuPDF features -> routed PDFs in OUTPUT/docling/ and OUTPUT/ocr/.",
        reads="raw_pdfs",
        writes="routed_pdfs",
        inputs=("ingest",),
    ),
    Stage(
        "extract-docling",
        "Text PDFs -> documents (text with page offsets), with Docling on CPU.",
        reads="routed_pdfs",
        writes="documents",
        inputs=("classify/docling",),
        resources=Resources(cpus=2, mem="8G"),
    ),
    Stage(
        "ocr",
        "Scanned PDFs -> documents, with RolmOCR on vLLM (GPU) or a CPU OCR engine.",
        reads="routed_pdfs",
        writes="documents",
        inputs=("classify/ocr",),
        apt_packages=OCR_APT_PACKAGES,
        resources=Resources(cpus=8, mem="64G", time="12:00:00", partition="gpu", throttle=8),
    ),
    Stage(
        "filter",
        "Post-processing, language ID per page and document, quality filters -> documents per language.",
        reads="documents",
        writes="filtered_documents",
        inputs=("extract-docling", "ocr"),
    ),
    Stage(
        "dedup",
        "Exact text dedup and MinHash near-duplicate removal, per language (datatrove's four MinHash steps).",
        reads="filtered_documents",
        writes="deduped_documents",
        inputs=("filter",),
        steps=(
            Step("signatures", output="{output}/_minhash/signatures"),
            Step("buckets", input="{output}/_minhash/signatures", output="{output}/_minhash/buckets",
                 tasks="num_buckets"),
            Step("cluster", input="{output}/_minhash/buckets", output="{output}/_minhash/clusters", tasks=1),
            Step("filter"),
        ),
    ),
    Stage(
        "tokenize",
        "Token counts with an offline tokenizer -> the final dataset, per language.",
        reads="deduped_documents",
        writes="final_documents",
        inputs=("dedup",),
        steps=(Step("tokenize", output="{output}/" + BOOKKEEPING_DIR, data="{output}"),),
    ),
    Stage(
        "stats",
        "datatrove document stats, every stage's ledger, summary.md and the HTML run report.",
        reads="final_documents",
        writes=None,
        inputs=("tokenize",),
        steps=(
            Step("collect", output="{output}/_collect"),
            Step("merge", input="{output}/_collect", tasks=1),
        ),
    ),
)

BY_NAME: dict[str, Stage] = {stage.name: stage for stage in STAGES}
STAGE_NAMES: list[str] = [stage.name for stage in STAGES]


def get(name: str) -> Stage:
    try:
        return BY_NAME[name]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(name, STAGE_NAMES, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        raise KeyError(f"unknown stage {name!r}{hint}; stages: {', '.join(STAGE_NAMES)}") from None


def stage_of_folder(name: str) -> Stage | None:
    """The stage whose output folder (in a run folder) is ``name``."""
    return BY_NAME.get(name)


def main(argv: list[str] | None = None) -> int:
    """`python -m shared.registry`: the stages for shell scripts, one per line, tab-separated:
    name, package folder under stages/, pyproject extra, Debian packages (space-separated), summary."""
    import sys

    names = (argv if argv is not None else sys.argv[1:]) or STAGE_NAMES
    for name in names:
        try:
            stage = get(name)
        except KeyError as error:
            print(error.args[0], file=sys.stderr)
            return 2
        print("\t".join([stage.name, stage.package.split(".", 1)[1], stage.pyproject_extra,
                         " ".join(stage.apt_packages), stage.summary]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
