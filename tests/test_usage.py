"""What a person sees when they get something wrong: one line, exit code 2, never a traceback; --version; --help
names each setting's config key."""

from tests.conftest import run_finepdfs


def error_lines(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if "error" in line.lower()]


def test_bad_flag_values_and_a_missing_input_are_one_line_and_exit_code_2(tmp_path):
    cases = {
        ("run", "--tasks", "0"): "Invalid value for '--tasks'",
        ("run", "--filter-below-threshold", "maybe"): "'maybe' is not one of 'removed', 'drop', 'unknown'",
        ("run", "--input", str(tmp_path / "missing"), "--output", str(tmp_path / "o")): "input folder not found",
        ("run", "--config", str(tmp_path / "none.toml")): "cannot read config file",
        ("filter", "--input", "x"): "Missing option '--output'",
        ("show", str(tmp_path)): "Missing argument 'ID_OR_PATH'",
    }
    for args, message in cases.items():
        result = run_finepdfs(*args, check=False)
        assert result.returncode == 2, (args, result.stderr)
        assert "Traceback" not in result.stderr, (args, result.stderr)
        lines = error_lines(result)
        assert len(lines) == 1 and message in lines[0], (args, result.stderr)


def test_version_and_help_with_config_keys():
    assert run_finepdfs("--version").stdout.strip() == "finepdfs, version 0.1.0"
    text = " ".join(run_finepdfs("filter", "--help").stdout.split())
    assert "(config: [filter] below_threshold; env: FINEPDFS_FILTER_BELOW_THRESHOLD; default: 'removed')" in text
