"""The `finepdfs` command: one subcommand per stage of shared/registry.py, plus `run` (the whole pipeline),
`report`, and the development tools of tools/ where they are installed (not in the stage images).

Commands are built on demand, so an image that carries one stage lists and runs that stage only, and
`finepdfs --help` does not import a stage's heavy dependencies.
"""

from __future__ import annotations

import importlib
import os
import sys

import click

# Progress bars are for terminals: in a log file (Slurm, CI, a pipe) each redraw is a line of junk. tqdm reads
# this once, when it is imported (by datatrove, later); our own bars are off there already.
if not sys.stderr.isatty():
    os.environ.setdefault("TQDM_DISABLE", "1")

from shared import registry
from shared.manifest import package_version

# Commands that are not stages: name -> "module:attribute" of a click command.
EXTRA_COMMANDS = {
    "run": "stages.pipeline:command",
    "report": "runfolder.report:command",
    "release": "runfolder.release:command",
    "inspect": "runfolder.explorer:command",
    "show": "runfolder.journey:command",
    "train-router": "tools.router.train:command",
    "eval-router": "tools.router.evaluate:command",
}


def _load(target: str):
    module, _, attribute = target.partition(":")
    return getattr(importlib.import_module(module), attribute)


class FinepdfsGroup(click.Group):
    def list_commands(self, ctx) -> list[str]:
        from shared.cli import stage_names_available

        extras = []
        for name, target in EXTRA_COMMANDS.items():
            try:
                _load(target)
            except (ModuleNotFoundError, AttributeError):
                continue
            extras.append(name)
        return stage_names_available() + extras

    def get_command(self, ctx, name: str):
        from shared.cli import stage_command

        if name in registry.BY_NAME:
            try:
                return stage_command(registry.BY_NAME[name])
            except ModuleNotFoundError:
                return None
        if name in EXTRA_COMMANDS:
            try:
                return _load(EXTRA_COMMANDS[name])
            except (ModuleNotFoundError, AttributeError):
                return None
        return None

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        """Standalone: a usage error (bad flag value, missing input, unknown config key) is one line on stderr and
        exit code 2, never a traceback or click's three-line usage banner."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.exceptions.Exit as exit_:
            sys.exit(exit_.exit_code)
        except click.UsageError as error:
            click.echo(one_line_usage_error(error), err=True)
            sys.exit(error.exit_code)
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)

    def resolve_command(self, ctx, args):
        name = args[0] if args else None
        if name and self.get_command(ctx, name) is None and name in registry.BY_NAME:
            ctx.fail(f"stage {name!r} is not installed here (pip install 'finepdfs-stages[{registry.get(name).pyproject_extra}]')")
        return super().resolve_command(ctx, args)


@click.group(cls=FinepdfsGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110})
@click.version_option(package_version(), prog_name="finepdfs")
def app() -> None:
    """FinePDFs as microstages: PDFs -> clean, deduplicated, language-tagged text. Each stage reads and writes
    Parquet shards; `finepdfs run` chains them locally."""
    from shared.processes import install_termination_handler

    install_termination_handler()  # SIGTERM ends every process a stage started, not only this one


def one_line_usage_error(error: click.UsageError) -> str:
    where = error.ctx.command_path if error.ctx is not None else "finepdfs"
    hint = f" (see `{where} --help`)" if error.ctx is not None else ""
    return f"{where}: error: {error.format_message()}{hint}"


def invoke(*args: str) -> int:
    """`finepdfs ARGS` in this process (tests, tools); its exit code (2 for a usage error)."""
    try:
        app.main(args=[str(a) for a in args], prog_name="finepdfs", standalone_mode=False)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    except click.UsageError as error:
        click.echo(one_line_usage_error(error), err=True)
        return error.exit_code
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except click.exceptions.Exit as exit_:
        return exit_.exit_code
    return 0


def run_stage(name: str, **options) -> int:
    """`finepdfs NAME --option value ...` in this process (tests, tools): keyword arguments are the options,
    spelled like the config keys (``max_pdf_bytes=1024`` is ``--max-pdf-bytes 1024``; True / False are the
    ``--x`` / ``--no-x`` flags of boolean settings; lists are comma-separated). Returns the exit code."""
    args: list[str] = [name]
    for key, value in options.items():
        if value is None:
            continue
        flag = "--" + key.replace("_", "-")
        if value is True:
            args.append(flag)
        elif value is False:
            args.append(f"--no-{flag[2:]}")
        else:
            args += [flag, ",".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)]
    return invoke(*args)


if __name__ == "__main__":
    sys.exit(app())
