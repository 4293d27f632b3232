"""A stage's settings, resolved once: its stage.toml's defaults, then --config / $FINEPDFS_CONFIG, then the
environment, then flags.

The declarations are the stages' own files (``stages/<folder>/stage.toml``, read by shared/registry.py) and
``shared/run.toml`` for the settings every stage shares. A config file has a section per stage (``[ocr]``); a
section or key that no stage declares is an error naming the closest valid one, and so is a value of the wrong
type or outside a setting's choices. Code that reads a key its stage does not declare fails (``Settings`` has no
``.get`` with a fallback). Every scalar setting is also a flag (``document_timeout_s`` ->
``--document-timeout-s``) and an environment variable (``FINEPDFS_EXTRACT_DOCLING_DOCUMENT_TIMEOUT_S``); the
environment is read here, not by the CLI, so that every caller (a stage, the stats stage, a tool) sees the same
values.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import tomllib
from collections.abc import Mapping
from functools import cache
from pathlib import Path

from shared import registry
from shared.registry import Setting

RUN_SECTION = "run"


class ConfigError(ValueError):
    """A config file, flag or environment variable that does not match the declared settings."""


def declared(section: str) -> dict[str, Setting]:
    """The settings of a section: a stage's, or [run]'s."""
    if section == RUN_SECTION:
        return registry.RUN_SETTINGS
    try:
        return registry.get(section).settings
    except KeyError:
        raise ConfigError(f"no stage {section!r} declares settings{_closest(section, sections())}") from None


def sections() -> list[str]:
    return [RUN_SECTION, *registry.STAGE_NAMES]


@cache
def defaults() -> dict:
    """section -> key -> default (a fresh copy is the caller's to merge into)."""
    return {section: {key: s.default for key, s in declared(section).items()} for section in sections()}


def _closest(name: str, known) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.5)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _type_name(value) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list",
            dict: "a table"}.get(type(value), type(value).__name__)


def _check_table(path: str, default: dict, value: dict, source: str) -> None:
    """A declared (not free-form) table: its keys are the default's, of the same types."""
    for key, item in value.items():
        if key not in default:
            raise ConfigError(f"{source}: unknown key {key!r} in [{path}]{_closest(key, default)}")
        if not Setting(key, _TYPE_OF[type(default[key])], default[key]).accepts(item):
            raise ConfigError(f"{source}: {path}.{key} must be {_type_name(default[key])} (like its default "
                              f"{default[key]!r}), not {item!r}")


_TYPE_OF = {bool: "bool", int: "int", float: "float", str: "str", list: "list", dict: "table"}


def check_value(section: str, setting: Setting, value, source: str) -> None:
    path = f"{section}.{setting.key}"
    if not setting.accepts(value):
        raise ConfigError(f"{source}: {path} must be {_type_name(setting.default)} (like its default "
                          f"{setting.default!r}), not {value!r}")
    if setting.min is not None and value < setting.min:
        raise ConfigError(f"{source}: {path} must be at least {setting.min:g}, not {value!r}")
    if setting.choices is not None and value not in setting.choices:
        raise ConfigError(f"{source}: {path} must be one of {', '.join(map(repr, setting.choices))}, not {value!r}")
    if setting.type == "table" and not setting.free_form:
        _check_table(path, setting.default, value, source)


def validate(override: dict, source: str = "config") -> None:
    """Raise ConfigError when ``override`` (a config file's content) names a section or key no stage declares,
    or gives a value of the wrong type or outside a setting's choices."""
    for section, values in override.items():
        if section not in sections():
            raise ConfigError(f"{source}: unknown section {section!r}{_closest(section, sections())}")
        if not isinstance(values, dict):
            raise ConfigError(f"{source}: [{section}] must be a table, not {_type_name(values)}")
        settings = declared(section)
        for key, value in values.items():
            if key not in settings:
                raise ConfigError(f"{source}: unknown key {key!r} in [{section}]{_closest(key, settings)}")
            check_value(section, settings[key], value, source)


def merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def read_config_file(path: str | os.PathLike) -> dict:
    try:
        text = Path(path).read_text()
    except OSError as error:
        raise ConfigError(f"cannot read config file {path}: {error.strerror or error}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"config file {path} is not valid TOML: {error}") from None


def config_path(path: str | os.PathLike | None = None) -> str | None:
    return str(path) if path else os.environ.get("FINEPDFS_CONFIG") or None


def merged_config(path: str | os.PathLike | None = None) -> dict:
    """The defaults with the config file (``path`` or $FINEPDFS_CONFIG) merged in, after validating it."""
    config = defaults()
    path = config_path(path)
    if path:
        override = read_config_file(path)
        validate(override, source=str(path))
        config = merge(config, override)
    return config


# --- the environment ---------------------------------------------------------------------------------------
def env_name(section: str | None, key: str) -> str:
    """The environment variable of a setting: FINEPDFS_<KEY> for [run] settings, FINEPDFS_<STAGE>_<KEY> else."""
    parts = ["FINEPDFS"] + ([section] if section and section != RUN_SECTION else []) + [key]
    return "_".join(p.upper().replace("-", "_") for p in parts)


_TRUE, _FALSE = {"1", "true", "yes", "on"}, {"0", "false", "no", "off"}


def parse_text(setting: Setting, text: str, source: str):
    """A setting's value from text (an environment variable, a flag): lists are comma-separated."""
    try:
        if setting.type == "bool":
            if text.strip().lower() not in _TRUE | _FALSE:
                raise ValueError(text)
            return text.strip().lower() in _TRUE
        if setting.type == "int":
            return int(text)
        if setting.type == "float":
            return float(text)
        if setting.type == "list":
            return [item.strip() for item in text.split(",") if item.strip()]
    except ValueError:
        raise ConfigError(f"{source}: {text!r} is not {_type_name(setting.default)}") from None
    return text


def settings_from_env(section: str, environ: Mapping[str, str] | None = None) -> dict:
    environ = os.environ if environ is None else environ
    values = {}
    for key, setting in declared(section).items():
        name = env_name(section, key)
        if setting.scalar and environ.get(name, "") != "":  # empty: not given (compose passes unset ones so)
            values[key] = parse_text(setting, environ[name], f"${name}")
    return values


# --- the settings object -------------------------------------------------------------------------------------
class Settings(dict):
    """One section's resolved values, typed by its declarations. Reading a key it does not declare raises with
    the closest declared key: every default lives in a stage.toml, so code never supplies its own (no
    ``.get(key, fallback)``). Values are also attributes (``settings.threshold``)."""

    def __init__(self, section: str, values: dict):
        super().__init__(values)
        self.section = section

    def __missing__(self, key):
        raise KeyError(f"[{self.section}] {key!r} is not declared in its stage.toml{_closest(key, self)}")

    def __getattr__(self, key):
        if key.startswith("_"):
            raise AttributeError(key)
        try:
            return self[key]
        except KeyError as error:
            raise AttributeError(error.args[0]) from None

    def get(self, key, default=None):  # noqa: ARG002 - the point is to refuse fallbacks
        raise TypeError(f"Settings.get({key!r}): read settings[{key!r}]; defaults live in the stage.toml")

    def pick(self, cls, **overrides):
        """A dataclass of the step that uses them, its fields filled from the same-named settings (``overrides``
        for fields that are not settings, or that a caller replaces). No key lists to keep in step."""
        fields = {f.name for f in dataclasses.fields(cls)}
        values = {key: self[key] for key in fields if key in self and key not in overrides}
        return cls(**values, **overrides)


def stage_settings(section: str, path: str | os.PathLike | None = None, overrides: dict | None = None,
                   environ: Mapping[str, str] | None = None) -> Settings:
    """A section's settings: defaults, the config file, the environment, then ``overrides`` (flags)."""
    values = dict(merged_config(path)[section]) if section in sections() else None
    if values is None:
        raise ConfigError(f"no stage {section!r} declares settings{_closest(section, sections())}")
    values = merge(values, settings_from_env(section, environ))
    if overrides:
        validate({section: overrides}, source="command line")
        values = merge(values, overrides)
    settings = declared(section)
    for key, setting in settings.items():
        check_value(section, setting, values[key], "settings")
        if setting.type == "float":
            values[key] = float(values[key])
    return Settings(section, values)


# How a person fetches FinePDFs-Edu's classifier weights (the filter's message and the run report say it).
EDU_FETCH_COMMAND = "python -m scripts.models fetch --edu {language}"


def models_dir(path: str | os.PathLike | None = None) -> Path:
    """Where model weights live: $FINEPDFS_MODELS_DIR, else [run].models_dir (relative to the cwd)."""
    return Path(stage_settings(RUN_SECTION, path)["models_dir"]).resolve()


def model_file(name: str | os.PathLike, config: str | os.PathLike | None = None) -> Path:
    """A model file named in a setting: an absolute path, or one relative to the models directory."""
    path = Path(name)
    return path if path.is_absolute() else models_dir(config) / path
