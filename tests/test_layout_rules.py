"""The shape of the house: the shared package never imports a stage, the text algorithms import no plumbing, no
module edits sys.path, and a stage is its folder (a toy stage added by a folder alone runs)."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _imports(folder: str):
    """The imports of a folder's code (its tests may import anything)."""
    for path in sorted((REPO / folder).rglob("*.py")):
        if path.name.startswith(("test_", "conftest")):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                yield path, node.lineno, node.module
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    yield path, node.lineno, alias.name


def _offending(folder: str, forbidden: tuple[str, ...]) -> list[str]:
    return [f"{path.relative_to(REPO)}:{line} imports {module}" for path, line, module in _imports(folder)
            if module.split(".")[0] in forbidden]


def test_the_shared_package_never_imports_a_stage_or_a_run_folder_command():
    assert not _offending("shared", ("stages", "runfolder", "tools", "orchestration"))


def test_no_stage_imports_another():
    """A stage image carries its own stage's code only: what two stages share lives in shared/ or textkit/."""
    from shared import registry

    found = []
    for stage in registry.STAGES:
        others = {other.package for other in registry.STAGES if other is not stage}
        found += [f"{path.relative_to(REPO)}:{line} imports {module}"
                  for path, line, module in _imports(f"stages/{stage.folder}")
                  if any(module == o or module.startswith(o + ".") for o in others)]
    assert not found, found


def test_the_run_folder_commands_import_no_stage():
    """The stats image carries runfolder/ but no other stage's code."""
    assert not _offending("runfolder", ("stages", "tools", "orchestration"))


def test_the_text_algorithms_import_no_plumbing():
    assert not _offending("textkit", ("shared", "stages", "runfolder", "tools", "orchestration"))


def test_no_module_edits_sys_path():
    edits = []
    for folder in ("shared", "textkit", "runfolder", "stages", "tools", "bench", "samples", "scripts", "orchestration",
                   "tests"):
        for path in sorted((REPO / folder).rglob("*.py")):
            if path.resolve() == Path(__file__).resolve():
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if (isinstance(node, ast.Attribute) and node.attr in ("insert", "append")
                        and isinstance(node.value, ast.Attribute) and node.value.attr == "path"
                        and getattr(node.value.value, "id", "") == "sys"):
                    edits.append(f"{path.relative_to(REPO)}:{node.lineno}")
    assert not edits, f"sys.path edits (import the package instead): {edits}"


TOY_STAGE_TOML = '''
name = "toy"
summary = "Upper-cases the text of every document (a test of the stage contract)."
reads = "documents"
writes = "documents"
inputs = ["extract-docling"]

[settings.shout]
type = "bool"
default = true
help = "upper-case the text"

[settings.suffix]
type = "str"
default = "!"
choices = ["!", "?"]
help = "appended to every text"
'''

TOY_STAGE_PY = '''
def build(run):
    from shared.steps import DocumentStep

    settings = run.settings

    class Shout(DocumentStep):
        stage = "toy"

        def process(self, doc):
            doc.text = (doc.text.upper() if settings.shout else doc.text) + settings.suffix

    return [run.reader(), Shout(), run.writer()]
'''


def test_a_stage_is_its_folder(tmp_path, monkeypatch, request):
    """Adding a stage is stages/<name>/ with stage.toml and stage.py (and its pyproject extra): the registry
    finds it, orders it after what it reads, and the CLI gives it its settings as flags, environment variables
    and config keys."""
    import stages
    from shared import registry
    from shared.shards import read_dataset
    from stages.cli import invoke
    from stages.filter.test_filter import document, write_documents

    toy = tmp_path / "stages" / "toy"
    toy.mkdir(parents=True)
    (toy / "__init__.py").write_text("")
    (toy / "stage.toml").write_text(TOY_STAGE_TOML)
    (toy / "stage.py").write_text(TOY_STAGE_PY)
    monkeypatch.setattr(stages, "__path__", [*stages.__path__, str(tmp_path / "stages")])
    found = registry.pipeline_order([*registry.STAGES, registry.read_stage(toy / "stage.toml")])
    names = [stage.name for stage in found]
    assert names.index("toy") > names.index("extract-docling")
    monkeypatch.setattr(registry, "STAGES", found)
    monkeypatch.setattr(registry, "BY_NAME", {stage.name: stage for stage in found})
    monkeypatch.setattr(registry, "STAGE_NAMES", names)
    from shared import config

    config.defaults.cache_clear()  # the defaults of every stage, the toy's now among them
    request.addfinalizer(config.defaults.cache_clear)

    source = tmp_path / "in"
    write_documents(source, [document("a", ["a plain text"]), document("b", ["another one"])])
    monkeypatch.setenv("FINEPDFS_TOY_SUFFIX", "?")
    assert invoke("toy", "-i", str(source), "-o", str(tmp_path / "out"), "--no-shout") == 0
    texts = sorted(read_dataset(tmp_path / "out").column("text").to_pylist())
    assert texts == ["a plain text?", "another one?"]
    assert invoke("toy", "-i", str(source), "-o", str(tmp_path / "loud")) == 0
    assert sorted(read_dataset(tmp_path / "loud").column("text").to_pylist()) == ["A PLAIN TEXT?", "ANOTHER ONE?"]
    assert invoke("toy", "-i", str(source), "-o", str(tmp_path / "bad"), "--suffix", ".") == 2
