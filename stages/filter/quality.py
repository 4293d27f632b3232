"""datatrove's quality filters as measurements: every rule's value and the first rule a document fails.

FinePDFs drops nothing for heuristic quality rules; it labels. datatrove's filters compute their values inside
``filter()`` and stop at the first failing rule, so to read every value without copying datatrove's code each
threshold argument is given as a ``ThresholdProbe``: datatrove compares its value with the probe (``value <
threshold`` / ``value > threshold``), the probe records the value and whether the real threshold would fail it,
and answers "passes", so datatrove goes on to the next rule. When a rule fails (or the measuring pass stops early,
e.g. a division by zero that datatrove's early return would have avoided), the real filter is run once more to
name the failed rule exactly as datatrove does (the old drop reason).

Which argument measures what is declared in ``shared.schemas.QUALITY_MEASUREMENTS``.
"""

from __future__ import annotations

import inspect
import math
import warnings
from collections.abc import Callable

from datatrove.data import Document

from shared import schemas
from textkit.languages import UNKNOWN_LANGUAGE, code_script


class ThresholdProbe:
    """Stands in for one threshold of a datatrove filter (see the module docstring).

    Truthy, so a rule that datatrove guards with ``if self.threshold and ...`` is measured even where its real
    threshold is off (None or 0: measured, never failed).
    """

    __array_ufunc__ = None  # numpy scalars (np.mean's result) defer to these comparisons

    def __init__(self, names: tuple[str, ...], threshold, log: list):
        self.names = names
        self.threshold = threshold
        self.log = log

    def __bool__(self) -> bool:
        return True

    def _record(self, value, fails: bool) -> bool:
        self.log.append((self, float(value), bool(fails and self.threshold)))
        return False  # "the rule passes": datatrove goes on to the next one

    # `value < probe` calls probe.__gt__(value), `probe > value` too: either way the rule is "value under threshold"
    def __gt__(self, value):
        return self._record(value, self.threshold is not None and value < self.threshold)

    def __ge__(self, value):
        return self._record(value, self.threshold is not None and value <= self.threshold)

    def __lt__(self, value):
        return self._record(value, self.threshold is not None and value > self.threshold)

    def __le__(self, value):
        return self._record(value, self.threshold is not None and value >= self.threshold)


def probe_arguments(table: str, arguments: dict, filter_class, log: list) -> dict:
    """The filter's constructor arguments with every threshold named in QUALITY_MEASUREMENTS[table] probed (its
    value: the configured one, else datatrove's own default)."""
    defaults = {name: p.default for name, p in inspect.signature(filter_class).parameters.items()}
    probed = dict(arguments)
    for argument, names in schemas.QUALITY_MEASUREMENTS[table].items():
        threshold = arguments.get(argument, defaults.get(argument))
        if any("{n}" in name for name in names):  # ((n, fraction), ...)
            probed[argument] = tuple((n, ThresholdProbe(tuple(name.format(n=n) for name in names), fraction, log))
                                     for n, fraction in threshold or ())
        else:
            probed[argument] = ThresholdProbe(names, threshold, log)
    return probed


class QualityFilter:
    """One datatrove quality filter, built once per document language (its word tokenizer, its stop words): the
    real filter for the verdict, the probed one for the measurements. ``prefix`` names its drop reasons."""

    def __init__(self, table: str, prefix: str, filter_class, factory: Callable[[str, dict], object],
                 arguments: dict, skip_scripts: tuple[str, ...] = ()):
        self.table = table
        self.prefix = prefix
        self.filter_class = filter_class
        self.factory = factory
        self.arguments = dict(arguments)
        self.skip_scripts = set(skip_scripts)
        self.fields = set(schemas.quality_measurement_names(table))
        self._real: dict[str, object] = {}
        self._probed: dict[str, tuple[object, list]] = {}

    def _language(self, doc: Document) -> str:
        return doc.metadata.get(schemas.LANGUAGE) or UNKNOWN_LANGUAGE

    def applies(self, doc: Document) -> bool:
        """Word-based rules say nothing about scripts written without spaces between words."""
        return code_script(self._language(doc)) not in self.skip_scripts

    def real(self, language: str):
        if language not in self._real:
            self._real[language] = self.factory(language, self.arguments)
        return self._real[language]

    def probed(self, language: str) -> tuple[object, list]:
        if language not in self._probed:
            log: list = []
            self._probed[language] = (
                self.factory(language, probe_arguments(self.table, self.arguments, self.filter_class, log)), log)
        return self._probed[language]

    def verdict(self, doc: Document) -> str | None:
        """The first rule the document fails, as datatrove names it with our prefix (the drop reason); None: passes."""
        verdict = self.real(self._language(doc)).filter(doc)
        keep, reason = verdict if isinstance(verdict, tuple) else (verdict, None)
        if keep:
            return None
        reason = reason or "dropped"
        return reason if reason.startswith(self.prefix) else f"{self.prefix}_{reason}"

    def measure(self, doc: Document) -> tuple[dict[str, float | None], str | None]:
        """Every rule's value (the struct column) and the first failed rule (None: passes)."""
        probed, log = self.probed(self._language(doc))
        log.clear()
        complete = True
        try:
            with warnings.catch_warnings():  # the mean word length of no words: nan, measured as null
                warnings.simplefilter("ignore", RuntimeWarning)
                # anything but True: a rule that is not a threshold (datatrove's "empty") rejected the document
                complete = probed.filter(doc) is True
        except (ZeroDivisionError, ValueError, IndexError):  # datatrove returns before these on the real pass
            complete = False
        values: dict[str, float | None] = {}
        seen: dict[ThresholdProbe, int] = {}
        failed = False
        for probe, value, fails in log:
            index = seen.get(probe, 0)
            seen[probe] = index + 1
            name = probe.names[min(index, len(probe.names) - 1)]
            if name in self.fields:
                values[name] = None if math.isnan(value) else value
            failed = failed or fails
        log.clear()
        return values, (self.verdict(doc) if failed or not complete else None)

    def __deepcopy__(self, memo):  # the executor copies the pipeline per task: start with no built filters
        return QualityFilter(self.table, self.prefix, self.filter_class, self.factory, self.arguments,
                             tuple(self.skip_scripts))
