"""The stage registry is the one list of stages, and the settings one vocabulary: everything that names stages or
settings agrees with the stages' stage.toml files (discovered by shared/registry.py), or a test here fails."""

from __future__ import annotations

import ast
import inspect
import tomllib
from pathlib import Path

import pytest
import yaml

from shared import registry
from shared.config import ConfigError, defaults, merged_config, stage_settings, validate
from stages.cli import invoke

REPO = Path(__file__).resolve().parents[1]


def test_every_stage_has_its_module_extra_and_dataset():
    from shared import schemas
    from shared.runner import stage_module

    extras = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["optional-dependencies"]
    for stage in registry.STAGES:
        assert callable(stage_module(stage).build), stage.name
        assert stage.pyproject_extra in extras, stage.name
        for dataset in (stage.reads, stage.writes):
            assert dataset is None or dataset in schemas.DATASETS, (stage.name, dataset)
        for upstream in stage.upstream:
            assert registry.STAGE_NAMES.index(upstream) < registry.STAGE_NAMES.index(stage.name)


def test_compose_yaml_is_what_the_registry_makes():
    from tools.compose_file import render

    assert (REPO / "compose.yaml").read_text() == render(), "compose.yaml is out of date: run `just compose-file`"
    services = yaml.safe_load((REPO / "compose.yaml").read_text())["services"]
    assert [s for s in services if s in registry.BY_NAME] == registry.STAGE_NAMES
    for stage in registry.STAGES:
        service = services[stage.name]
        assert service["image"].endswith(f"{stage.image}:${{FINEPDFS_IMAGE_TAG:-latest}}")
        command = service["command"] if isinstance(service["command"], str) else " ".join(service["command"])
        assert f"--output {stage.output_uri('/data/out')}" in command
        assert f"--input {stage.input_uris('/data/out', '/input')}" in command
        # every setting of the stage reaches it under its own name
        for key, setting in stage.settings.items():
            if setting.scalar:
                name = f"FINEPDFS_{stage.name}_{key}".upper().replace("-", "_")
                assert name in service["environment"], (stage.name, name)


def test_cluster_config_names_only_registry_stages():
    from orchestration.plan import job_names, resolve_stages
    from orchestration.plan import load_config as cluster_config

    config = cluster_config()
    assert set(config.get("stages", {})) <= set(registry.STAGE_NAMES)
    jobs = resolve_stages(config, REPO)
    assert [j.name for j in jobs] == [n for s in registry.STAGES for n in job_names(s)]


def test_the_cli_has_one_command_per_stage():
    from stages.cli import app

    listed = app.list_commands(None)
    assert listed[: len(registry.STAGES)] == registry.STAGE_NAMES


# --- settings ------------------------------------------------------------------------------------------
def _setting_reads() -> list[tuple[str, str, str]]:
    """(stage, key, where) of every ``settings["key"]`` in a stage's code, and ``settings.key`` in its stage.py
    (where ``settings`` is the stage's; elsewhere it may name a step's own dataclass)."""
    reads = []
    for stage in registry.STAGES:
        folder = REPO / stage.package.replace(".", "/")
        for path in folder.glob("*.py"):
            if path.name.startswith("test_"):
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant)
                        and isinstance(node.slice.value, str)):
                    target = node.value
                    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
                    if name == "settings":
                        reads.append((stage.name, node.slice.value, f"{path.relative_to(REPO)}:{node.lineno}"))
                elif path.name == "stage.py" and isinstance(node, ast.Attribute) and node.attr not in SETTINGS_METHODS:
                    target = node.value
                    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
                    if name == "settings" and isinstance(node.ctx, ast.Load):
                        reads.append((stage.name, node.attr, f"{path.relative_to(REPO)}:{node.lineno}"))
    return reads


SETTINGS_METHODS = {"pick", "table", "section", "items", "keys", "values"}


def test_every_setting_a_stage_reads_is_declared():
    reads = _setting_reads()
    assert len(reads) > 40, "the scan found too few reads: did the stage code change shape?"
    undeclared = [r for r in reads if r[1] not in defaults()[r[0]]]
    assert not undeclared, f"read but not declared in the stage's stage.toml: {undeclared}"


def _normal(value):
    """Defaults that mean the same: a tuple and a list of the same items; None and an empty value ("not set")."""
    if value in (None, "", [], (), {}):
        return None
    return list(value) if isinstance(value, tuple) else value


def test_no_code_default_differs_from_the_stage_toml():
    """A parameter or field named like a setting of its stage has no default of its own, or the same one."""
    import dataclasses
    import importlib
    import pkgutil

    differing = []
    for stage in registry.STAGES:
        package = importlib.import_module(stage.package)
        section = defaults()[stage.name]
        for info in pkgutil.iter_modules(package.__path__):
            if info.name.startswith("test_") or info.name == "conftest":
                continue
            module = importlib.import_module(f"{stage.package}.{info.name}")
            for obj in vars(module).values():
                if getattr(obj, "__module__", None) != module.__name__:
                    continue
                if dataclasses.is_dataclass(obj):
                    items = {f.name: f.default for f in dataclasses.fields(obj)}
                elif inspect.isclass(obj) or inspect.isfunction(obj):
                    try:
                        signature = inspect.signature(obj)
                    except (TypeError, ValueError):
                        continue
                    items = {n: p.default for n, p in signature.parameters.items()}
                else:
                    continue
                for name, default in items.items():
                    if name in section and default not in (inspect.Parameter.empty, dataclasses.MISSING):
                        if _normal(default) != _normal(section[name]):
                            differing.append((f"{module.__name__}.{obj.__name__}", name, default, section[name]))
    assert not differing, f"code defaults that disagree with the stage.toml: {differing}"


def test_settings_refuse_undeclared_keys_and_fallbacks():
    settings = stage_settings("ocr")
    with pytest.raises(KeyError, match="did you mean 'engine'"):
        settings["engin"]
    with pytest.raises(TypeError):
        settings.get("engine", "rapidocr")


def test_config_files_are_validated(tmp_path):
    with pytest.raises(ConfigError, match="unknown section 'ocrr'.*did you mean 'ocr'"):
        validate({"ocrr": {"engine": "tesseract"}})
    with pytest.raises(ConfigError, match=r"unknown key 'engin' in \[ocr\].*did you mean 'engine'"):
        validate({"ocr": {"engin": "tesseract"}})
    with pytest.raises(ConfigError, match="must be an integer"):
        validate({"run": {"tasks": "four"}})
    validate({"filter": {"lid_thresholds": {"fr": 0.3}}})  # free-form: languages
    with pytest.raises(ConfigError, match="must be one of 'auto', 'rolmocr'"):
        validate({"ocr": {"engine": "easyocr"}})
    bad = tmp_path / "bad.toml"
    bad.write_text("[classify]\nthreshhold = 0.5\n")
    with pytest.raises(ConfigError, match="did you mean 'threshold'"):
        merged_config(bad)


def test_a_bad_config_or_flag_is_one_line_and_exit_2(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text("[classify]\nthreshhold = 0.5\n")
    assert invoke("classify", "-i", str(tmp_path), "-o", str(tmp_path / "o"), "--config", str(bad)) == 2
    assert invoke("classify", "-i", str(tmp_path), "-o", str(tmp_path / "o"), "--config", str(tmp_path / "no.toml")) == 2
    err = capsys.readouterr().err
    assert "did you mean 'threshold'" in err and "cannot read config file" in err and "Traceback" not in err
    assert invoke("ocr", "-i", str(tmp_path), "-o", str(tmp_path / "o"), "--engine", "easyocr") == 2


def test_a_setting_has_one_name_as_flag_environment_variable_and_config_key(tmp_path, monkeypatch):
    from shared.cli import settings_from_flags
    from shared.config import env_name

    assert env_name("extract-docling", "document_timeout_s") == "FINEPDFS_EXTRACT_DOCLING_DOCUMENT_TIMEOUT_S"
    assert env_name("run", "tasks") == "FINEPDFS_TASKS"
    command = __import__("shared.cli", fromlist=["stage_command"]).stage_command(registry.get("extract-docling"))
    flags = {opt for p in command.params for opt in p.opts}
    assert {"--document-timeout-s", "--max-pages", "--tasks", "--workers", "--config"} <= flags
    monkeypatch.setenv("FINEPDFS_EXTRACT_DOCLING_MAX_PAGES", "7")
    monkeypatch.setenv("FINEPDFS_EXTRACT_DOCLING_TABLES", "false")
    monkeypatch.setenv("FINEPDFS_EXTRACT_DOCLING_LAYOUT_MODEL", "")  # empty: not given (compose passes it so)
    ctx = command.make_context("extract-docling", ["-i", "x", "-o", "y", "--document-timeout-s", "5"])
    flags = settings_from_flags("extract-docling", ctx.params)
    assert flags == {"document_timeout_s": 5.0}
    settings = stage_settings("extract-docling", overrides=flags)  # the environment is read here, for every caller
    assert (settings.max_pages, settings.tables, settings.document_timeout_s) == (7, False, 5.0)
    assert settings.layout_model == "auto"
    monkeypatch.setenv("FINEPDFS_EXTRACT_DOCLING_MAX_PAGES", "many")
    with pytest.raises(ConfigError, match=r"\$FINEPDFS_EXTRACT_DOCLING_MAX_PAGES: 'many' is not an integer"):
        stage_settings("extract-docling")


# --- steps and outcomes --------------------------------------------------------------------------------
def test_every_pipeline_step_has_a_datatrove_type():
    import importlib
    import pkgutil

    from datatrove.pipeline.base import PipelineStep

    import shared
    import stages

    missing = []
    for package in (shared, stages):
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if info.name.rsplit(".", 1)[-1].startswith("test_"):
                continue
            module = importlib.import_module(info.name)
            for obj in vars(module).values():
                if (inspect.isclass(obj) and issubclass(obj, PipelineStep) and obj.__module__ == module.__name__
                        and not inspect.isabstract(obj) and not obj.type):
                    missing.append(f"{module.__name__}.{obj.__name__}")
    assert not missing, f"steps without a datatrove type: {missing}"


def test_outcomes_are_declared_once_and_checked():
    from datatrove.data import Document

    from shared import outcomes
    from shared.ledger import mark_dropped, mark_failed

    with pytest.raises(ValueError, match="not declared"):
        mark_failed(Document(text="", id="x"), "t", "NoPdfBytes")
    with pytest.raises(ValueError, match="not declared"):
        mark_dropped(Document(text="", id="x"), "t", "too_short")
    doc = mark_failed(Document(text="", id="x"), "t", KeyError("k"))
    assert doc.metadata["__error_class"] == outcomes.UNEXPECTED_ERROR
    assert outcomes.drop_outcome("gopher_short_doc").name == outcomes.GOPHER_QUALITY
    assert outcomes.drop_outcome("gopher_rep_top_2gram").name == outcomes.GOPHER_REPETITION
