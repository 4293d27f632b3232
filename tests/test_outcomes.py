"""One error vocabulary: every error class is declared in shared/outcomes.py as a StageError subclass, stages
raise those classes themselves, none is declared and never used, and no error class travels as a string
literal."""

from __future__ import annotations

import ast
from pathlib import Path

from shared import outcomes

REPO = Path(__file__).resolve().parents[1]
CODE = ("shared", "stages", "textkit", "runfolder")


def _modules():
    for folder in CODE:
        for path in sorted((REPO / folder).rglob("*.py")):
            if not path.name.startswith(("test_", "conftest")):
                yield path, ast.parse(path.read_text())


def _subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def test_every_error_class_is_declared_in_outcomes():
    import importlib
    import pkgutil

    import shared
    import stages

    for package in (shared, stages):  # every error class a stage defines is imported, so it is found below
        for info in pkgutil.walk_packages(package.__path__, f"{package.__name__}."):
            if not info.name.rsplit(".", 1)[-1].startswith("test_"):
                importlib.import_module(info.name)
    elsewhere = [f"{c.__module__}.{c.__name__}" for c in _subclasses(outcomes.StageError)
                 if c.__module__ != outcomes.__name__]
    assert not elsewhere, f"error classes declared outside shared/outcomes.py: {elsewhere}"
    assert set(outcomes.ERRORS) == {c.__name__ for c in _subclasses(outcomes.StageError)}


def test_every_declared_error_class_is_raised_somewhere():
    """Each StageError subclass is instantiated (raised, or handed to mark_failed) by stage or shared code
    outside its declaration; UnexpectedError is made by outcomes.of_exception for everything else."""
    used: set[str] = set()
    for path, tree in _modules():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in outcomes.ERRORS and (path.name != "outcomes.py" or name == outcomes.UNEXPECTED_ERROR):
                    used.add(name)
            elif isinstance(node, ast.IfExp | ast.Assign):  # ``error = CorruptPdf if ... else AllPagesFailed``
                for sub in ast.walk(node):
                    if isinstance(sub, ast.Name) and sub.id in outcomes.ERRORS and path.name != "outcomes.py":
                        used.add(sub.id)
    never = sorted(set(outcomes.ERRORS) - used)
    assert not never, f"declared in shared/outcomes.py but never raised: {never}"


def test_no_error_class_is_a_string_literal():
    """Nothing names an error class by a literal (``"CorruptPdf"``), or compares an exception's class name."""
    found = []
    for path, tree in _modules():
        if path.name == "outcomes.py":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and node.value in outcomes.ERRORS:
                found.append(f"{path.relative_to(REPO)}:{node.lineno} {node.value!r}")
    assert not found, f"error classes written as strings (use the class from shared/outcomes.py): {found}"


def test_errors_cross_a_worker_process_as_their_declared_class():
    import pickle

    error = pickle.loads(pickle.dumps(outcomes.CorruptPdf("bad xref")))
    assert type(error) is outcomes.CorruptPdf and error.error_class == outcomes.CORRUPT_PDF
    wrapped = outcomes.of_exception(KeyError("k"))
    assert wrapped.error_class == outcomes.UNEXPECTED_ERROR and wrapped.original == "KeyError"
    assert pickle.loads(pickle.dumps(wrapped)).original == "KeyError"
    assert outcomes.of_exception(MemoryError()).error_class == outcomes.MEMORY_LIMIT_EXCEEDED
