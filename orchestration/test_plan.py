"""The planner: config layering, stage graph, array splitting, resume decisions, sbatch options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from orchestration import sif
from orchestration.plan import (
    PlanError,
    chunk_ranges,
    job_names,
    load_config,
    parse_set,
    plan_run,
    resolve_stages,
    stage_script,
)
from shared import registry


def stages_for(tmp_path: Path, *sets: str):
    config = load_config([], [f'run.output="{tmp_path}/out"', 'run.input="pdfs"', *sets])
    return config, resolve_stages(config, tmp_path)


def by_name(plans):
    return {p.job.name: p for p in plans}


def test_set_parses_toml_values_and_bare_words():
    assert parse_set("stages.ocr.tasks=8") == {"stages": {"ocr": {"tasks": 8}}}
    assert parse_set('run.stages=["ingest"]') == {"run": {"stages": ["ingest"]}}
    assert parse_set("run.runtime=none") == {"run": {"runtime": "none"}}
    with pytest.raises(PlanError):
        parse_set("novalue")


def test_stage_graph_is_the_registry_in_pipeline_order(tmp_path):
    _, stages = stages_for(tmp_path)
    names = [s.name for s in stages]
    assert names == [name for stage in registry.STAGES for name in job_names(stage)]
    assert names == ["ingest-hash", "ingest-read", "classify", "extract-docling", "ocr", "filter", "dedup-signatures", "dedup-buckets",
                     "dedup-cluster", "dedup-drop-duplicates", "tokenize", "stats-collect", "stats-merge"]
    stage = {s.name: s for s in stages}
    out = f"{tmp_path}/out"
    assert stage["ingest-read"].spec.args[:7] == ["ingest", "--step", "read", "--input", f"{tmp_path}/pdfs",
                                                  "--output", f"{out}/ingest"]
    assert stage["ingest-read"].after == ["ingest-hash"]
    assert stage["ingest-hash"].done == f"{out}/ingest/_hashes/ledger/{{rank:05d}}.json"
    assert stage["filter"].after == ["extract-docling", "ocr"]
    assert f"{out}/extract-docling,{out}/ocr" in stage["filter"].spec.args
    assert stage["ocr"].partition == "gpu" and stage["ocr"].gpus == 1 and stage["ocr"].spec.gpus == 1
    assert stage["classify"].gpus == 0
    assert [s.name for s in stages if s.spec.image == "dedup"] == [n for n in names if n.startswith("dedup-")]
    # every step of a stage runs the stage's command with --step, the stage's own input and output
    assert stage["dedup-buckets"].spec.args[:6] == ["dedup", "--step", "buckets", "--input", f"{out}/filter",
                                                    "--output"]
    assert stage["dedup-buckets"].tasks == 32  # [dedup] num_buckets
    assert stage["dedup-buckets"].done == f"{out}/dedup/_minhash/buckets/ledger/{{rank:05d}}.json"
    assert stage["stats-merge"].tasks == 1 and stage["stats-merge"].after == ["stats-collect"]


def test_gres_only_where_the_partition_has_gpus(tmp_path):
    _, stages = stages_for(tmp_path)
    plans = by_name(plan_run(stages, [], 1000, "/logs"))
    assert "--gres=gpu:1" in plans["ocr"].chunks[0].sbatch
    assert not any(o.startswith("--gres") for o in plans["classify"].chunks[0].sbatch)
    # A GRES-less stand-in partition (the test cluster) gives no --gres and no --nv.
    _, stages = stages_for(tmp_path, "partitions.gpu.gpus_per_task=0")
    plans = by_name(plan_run(stages, [], 1000, "/logs"))
    assert not any(o.startswith("--gres") for o in plans["ocr"].chunks[0].sbatch)
    assert "--partition=gpu" in plans["ocr"].chunks[0].sbatch


def test_arrays_over_max_array_size_are_split_with_rank_offsets(tmp_path):
    assert chunk_ranges(10, 4) == [(0, 4), (4, 4), (8, 2)]
    assert chunk_ranges(3, 4) == [(0, 3)]
    _, stages = stages_for(tmp_path, "stages.classify.tasks=10", "stages.classify.throttle=2")
    chunks = by_name(plan_run(stages, [], 4, "/logs"))["classify"].chunks
    assert [(c.offset, c.size) for c in chunks] == [(0, 4), (4, 4), (8, 2)]
    assert [o for o in chunks[2].sbatch if o.startswith(("--array", "--export"))] == [
        "--array=0-1%2", "--export=ALL,FINEPDFS_RANK_OFFSET=8"]
    assert all("--output=/logs/classify/%A_%a.log" in c.sbatch for c in chunks)


def _complete(stage, ranks=None):
    for rank in range(stage.tasks) if ranks is None else ranks:
        marker = Path(stage.done.format(rank=rank))
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.write_text(json.dumps({"docs_in": 1}))


def test_resume_skips_complete_stages_and_resubmits_everything_downstream_of_a_gap(tmp_path):
    _, stages = stages_for(tmp_path, "run.tasks=2")
    stage = {s.name: s for s in stages}
    for name in ("ingest-hash", "ingest-read", "classify", "extract-docling", "ocr"):
        _complete(stage[name])
    _complete(stage["filter"], ranks=[0])  # rank 1 was killed mid-shard
    _complete(stage["tokenize"])  # complete, but downstream of the gap: must run again (its tasks skip done ranks)
    plans = by_name(plan_run(stages, [], 1000, "/logs"))
    assert [n for n, p in plans.items() if p.action == "complete"] == ["ingest-hash", "ingest-read", "classify",
                                                                       "extract-docling", "ocr"]
    assert plans["filter"].action == "submit" and plans["filter"].missing == [1]
    assert plans["filter"].after == []  # its upstream is complete: no dependency
    assert plans["tokenize"].action == "submit" and plans["tokenize"].after == ["dedup-drop-duplicates"]
    assert plans["stats-collect"].action == "submit" and plans["stats-merge"].action == "submit"


def test_everything_complete_submits_nothing(tmp_path):
    _, stages = stages_for(tmp_path, "run.tasks=1")
    for stage in stages:
        _complete(stage)
    assert {p.action for p in plan_run(stages, [], 1000, "/logs")} == {"complete"}


def test_selected_stages_wait_through_excluded_ones(tmp_path):
    _, stages = stages_for(tmp_path)
    plans = by_name(plan_run(stages, ["ingest", "extract-docling", "filter", "dedup"], 1000, "/logs"))
    assert plans["classify"].action == "excluded" and plans["ocr"].action == "excluded"
    assert plans["extract-docling"].after == ["ingest-read"]
    assert plans["filter"].after == ["extract-docling", "ingest-read"]
    assert plans["dedup-buckets"].action == "submit"  # a stage name selects every step of it


def test_config_errors_are_plain(tmp_path):
    with pytest.raises(PlanError, match="partition 'tpu'"):
        stages_for(tmp_path, 'stages.ocr.partition="tpu"')
    with pytest.raises(PlanError, match="runtime"):
        stages_for(tmp_path, 'run.runtime="podman"')
    with pytest.raises(PlanError, match="did you mean 'ocr'"):
        stages_for(tmp_path, "stages.ocrr.cpus=2")
    with pytest.raises(PlanError, match="dedup has steps"):
        stages_for(tmp_path, "stages.dedup.steps.bucket.cpus=2")
    with pytest.raises(PlanError, match="unknown key"):  # a stage config key no stage.toml declares
        (tmp_path / "bad.toml").write_text("[ocr]\nengin = 'tesseract'\n")
        stages_for(tmp_path, f'run.config="{tmp_path}/bad.toml"')
    _, stages = stages_for(tmp_path)
    with pytest.raises(PlanError, match="unknown stages"):
        plan_run(stages, ["nope"], 4, "/logs")


def test_stage_config_and_models_reach_the_task(tmp_path):
    (tmp_path / "models").mkdir()
    (tmp_path / "my.toml").write_text("[ocr]\n")
    config, stages = stages_for(tmp_path, f'run.config="{tmp_path}/my.toml"', f'run.models_dir="{tmp_path}/models"')
    ocr = {s.name: s for s in stages}["ocr"]
    assert ocr.spec.args[-4:-2] == ["--config", f"{tmp_path}/my.toml"]
    assert ocr.spec.env["FINEPDFS_MODELS_DIR"] == f"{tmp_path}/models"
    script = stage_script(ocr, "apptainer", config, tmp_path)
    assert f"--bind {tmp_path}/models:{tmp_path}/models:ro" in script
    assert f"--bind {tmp_path}/my.toml:{tmp_path}/my.toml:ro" in script
    assert f"{tmp_path}/sif/ocr.sif finepdfs ocr" in script


def test_sif_build_commands_come_from_spython_with_apptainer(tmp_path):
    config = load_config()
    assert sif.stage_images() == registry.STAGE_NAMES
    source = sif.source_uri(config, "ocr", "docker-daemon", "build/images")
    assert source == "docker-daemon://finepdfs/ocr:latest"
    assert sif.build_argv("sif/ocr.sif", source) == ["apptainer", "build", "--force", "sif/ocr.sif", source]
    archive = sif.source_uri(config, "ocr", "docker-archive", str(tmp_path))
    assert archive == f"docker-archive://{tmp_path}/ocr.tar"


def test_sif_without_apptainer_fails_with_the_commands(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # no apptainer, no docker
    code = sif.main(["--sif-dir", str(tmp_path / "sif"), "ocr"])
    captured = capsys.readouterr()
    assert code == 3
    assert f"apptainer build --force {tmp_path}/sif/ocr.sif docker-daemon://finepdfs/ocr:latest" in captured.out
    assert "not installed" in captured.err
