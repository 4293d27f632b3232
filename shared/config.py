"""One config file with a section per stage: shared/defaults.toml, then --config / $FINEPDFS_CONFIG, then flags.

defaults.toml is the only place a setting's default lives. It also *declares* the settings: a config file that
names a section or key it does not have is an error naming the closest valid one, and code that reads a key it
does not declare fails (``Settings`` has no ``.get`` with a fallback). The trailing comment of a key is its help
text: every scalar key of a stage's section is also that stage's CLI flag (``document_timeout_s`` ->
``--document-timeout-s``) and environment variable (``FINEPDFS_EXTRACT_DOCLING_DOCUMENT_TIMEOUT_S``).
"""

from __future__ import annotations

import difflib
import os
import re
import tomllib
from functools import cache
from importlib import resources
from pathlib import Path

# Tables whose keys are data, not settings (languages, vLLM flags, environment variables): any key is valid.
FREE_FORM_TABLES = frozenset({"filter.lid_thresholds", "ocr.vllm_args", "ocr.vllm_env", "ocr.script_engines",
                              "ocr.tesseract_models"})
DEFAULTS_FILE = "defaults.toml"


class ConfigError(ValueError):
    """A config file that does not match shared/defaults.toml (unknown key, wrong type, unreadable file)."""


def _defaults_text() -> str:
    return resources.files("shared").joinpath(DEFAULTS_FILE).read_text()


@cache
def defaults() -> dict:
    return tomllib.loads(_defaults_text())


def _closest(name: str, known) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.5)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _type_name(value) -> str:
    return {bool: "a boolean", int: "an integer", float: "a number", str: "a string", list: "a list",
            dict: "a table"}.get(type(value), type(value).__name__)


def _compatible(default, value) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    return isinstance(value, type(default))


def validate(override: dict, base: dict | None = None, where: str = "", source: str = "config") -> None:
    """Raise ConfigError when ``override`` has a key ``base`` (the defaults) does not declare, or a wrong type."""
    base = defaults() if base is None else base
    for key, value in override.items():
        path = f"{where}.{key}" if where else key
        if key not in base:
            kind = "section" if not where else "key"
            section = f" in [{where}]" if where else ""
            raise ConfigError(f"{source}: unknown {kind} {key!r}{section}{_closest(key, base)}")
        default = base[key]
        if isinstance(default, dict):
            if not isinstance(value, dict):
                raise ConfigError(f"{source}: {path} must be a table, not {_type_name(value)}")
            if path not in FREE_FORM_TABLES:
                validate(value, default, path, source)
        elif not _compatible(default, value):
            raise ConfigError(f"{source}: {path} must be {_type_name(default)} (like its default "
                              f"{default!r}), not {value!r}")


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


def load_config(path: str | os.PathLike | None = None) -> dict:
    """The defaults with the config file (``path`` or $FINEPDFS_CONFIG) merged in, after validating it."""
    config = defaults()
    path = config_path(path)
    if path:
        override = read_config_file(path)
        validate(override, source=str(path))
        config = merge(config, override)
    return config


class Settings(dict):
    """One section of the config. Reading a key it does not declare raises, with the closest declared key:
    every default lives in defaults.toml, so code never supplies its own (no ``.get(key, fallback)``)."""

    def __init__(self, section: str, values: dict):
        super().__init__(values)
        self.section = section

    def __missing__(self, key):
        raise KeyError(f"[{self.section}] {key!r} is not declared in shared/{DEFAULTS_FILE}{_closest(key, self)}")

    def get(self, key, default=None):  # noqa: ARG002 - the point is to refuse fallbacks
        raise TypeError(f"Settings.get({key!r}): read settings[{key!r}]; defaults live in shared/{DEFAULTS_FILE}")

    def table(self, key: str) -> Settings:
        return Settings(f"{self.section}.{key}", self[key])


def stage_settings(stage: str, path: str | os.PathLike | None = None, overrides: dict | None = None) -> Settings:
    """A stage's section, with CLI flag values (``overrides``, validated like a config file) on top."""
    config = load_config(path)
    if stage not in config:
        raise ConfigError(f"no [{stage}] section in shared/{DEFAULTS_FILE}")
    values = dict(config[stage])
    if overrides:
        validate({stage: overrides}, source="command line")
        values = merge(values, overrides)
    return Settings(stage, values)


def models_dir(path: str | os.PathLike | None = None) -> Path:
    """Where model weights live: $FINEPDFS_MODELS_DIR, else [run].models_dir (relative to the cwd)."""
    return Path(os.environ.get("FINEPDFS_MODELS_DIR") or load_config(path)["run"]["models_dir"]).resolve()


def model_file(name: str | os.PathLike, config: str | os.PathLike | None = None) -> Path:
    """A model file named in a setting: an absolute path, or one relative to the models directory."""
    path = Path(name)
    return path if path.is_absolute() else models_dir(config) / path


# --- help texts: the trailing comments of defaults.toml --------------------------------------------------
_SECTION = re.compile(r"^\s*\[([^\]]+)\]")
_KEY = re.compile(r"^([A-Za-z0-9_-]+)\s*=\s*(.*)$")
_CONTINUATION = re.compile(r"^\s+#\s?(.*)$")


@cache
def help_texts() -> dict[str, dict[str, str]]:
    """section -> key -> the comment after the key (continued on indented comment lines below it)."""
    texts: dict[str, dict[str, str]] = {}
    section, last = "", None
    for line in _defaults_text().splitlines():
        if match := _SECTION.match(line):
            section, last = match.group(1).strip(), None
            continue
        if (match := _CONTINUATION.match(line)) and last is not None:
            texts[section][last] += " " + match.group(1).strip()
            continue
        match = _KEY.match(line)
        if not match:
            last = None
            continue
        key, rest = match.groups()
        comment = rest.split("#", 1)[1].strip() if "#" in rest and not rest.lstrip().startswith(("\"#", "'#")) \
            else ""
        texts.setdefault(section, {})[key] = comment
        last = key
    return texts
