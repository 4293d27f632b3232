# finepdfs-stages: the front door. On a fresh machine use scripts/just (it makes .venv and installs `just`).
set shell := ["bash", "-euo", "pipefail", "-c"]

venv := justfile_directory() / ".venv"
py := venv / "bin/python"
out := "out"

# list recipes
default:
    @just --list

# run the whole pipeline on the bundled sample PDFs (embedded local default) into OUT
run input="samples/pdfs" output=out *flags="":
    {{venv}}/bin/finepdfs run --input {{input}} --output {{output}} {{flags}}

# all tests: unit, end-to-end, and the docker/slurm ones (their services are started when possible)
test *args="":
    scripts/services.sh start || echo "services: some could not start; their tests will skip or fail loudly"
    {{venv}}/bin/pytest {{args}}

# only the fast tests (no docker, slurm, vllm)
test-fast *args="":
    {{venv}}/bin/pytest -m "not docker and not slurm and not vllm" {{args}}

# regenerate the bundled sample PDFs and their ground truth
samples:
    {{py}} samples/make_samples.py

# lint
lint:
    {{venv}}/bin/ruff check shared stages tests orchestration scripts samples
