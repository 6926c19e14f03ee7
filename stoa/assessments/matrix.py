"""The risk matrix an assessment was created with: freezing it, and reading it back.

The cell rule (which level a likelihood × consequence pair falls into) belongs to the pure domain
package (``stoa.core.assessment.matrix``); this module only copies the library's matrix into an
assessment and hands the copy to that code.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from stoa.library.models import ReferenceObject, localised

if TYPE_CHECKING:
    from stoa.assessments.models import Assessment


class NoRiskMatrix(Exception):
    """No risk matrix is loaded: the libraries must be loaded first."""


def default_matrix() -> ReferenceObject:
    """The library's default risk matrix (the one flagged default, else the first)."""
    matrices = list(ReferenceObject.objects.filter(kind="risk_matrix").select_related("library"))
    if not matrices:
        raise NoRiskMatrix(_("No risk matrix is loaded; an administrator must load the libraries first."))
    return next((m for m in matrices if m.data.get("default")), matrices[0])


def freeze(matrix: ReferenceObject) -> dict[str, Any]:
    """A self-contained copy of MATRIX to store in an assessment."""
    return {"urn": matrix.urn, "version": matrix.library.version, "name": matrix.name,
            "translations": matrix.translations, "data": matrix.data}


@dataclass(frozen=True)
class FrozenMatrix:
    """An assessment's copy of its risk matrix, with the domain code's cell rule."""

    frozen: dict[str, Any]

    @property
    def data(self) -> dict[str, Any]:
        return self.frozen.get("data", {})

    def _values(self, dimension: str) -> list[int]:
        return [int(step["value"]) for step in self.data.get(dimension, [])]

    @property
    def likelihood_values(self) -> list[int]:
        return self._values("likelihood")

    @property
    def consequence_values(self) -> list[int]:
        return self._values("consequence")

    def _steps(self, dimension: str) -> list[dict[str, Any]]:
        return [{"value": int(step["value"]), "name": _label(step)} for step in self.data.get(dimension, [])]

    @property
    def likelihood_steps(self) -> list[dict[str, Any]]:
        return self._steps("likelihood")

    @property
    def consequence_steps(self) -> list[dict[str, Any]]:
        return self._steps("consequence")

    @property
    def name(self) -> str:
        return _label(self.frozen)

    @cached_property
    def _parsed(self) -> tuple[Any, str]:
        from stoa.core.assessment.matrix import RiskMatrix

        try:
            return RiskMatrix.from_dict(self.data), ""
        except ValueError as exc:
            return None, str(exc)

    def domain(self) -> Any:
        """The matrix for the domain code (parsed once); ValueError when the copy does not fit."""
        parsed, problem = self._parsed
        if problem:
            raise ValueError(problem)
        return parsed

    def level_names(self) -> dict[str, str]:
        return {level["id"]: _label(level) for level in self.data.get("levels", [])}


class _Labelled:
    def __init__(self, raw: dict[str, Any]) -> None:
        self.name = raw.get("name", "")
        self.translations = raw.get("translations") or {}


def _label(raw: dict[str, Any]) -> str:
    return localised(_Labelled(raw), "name")


# Parsed copies by fingerprint: a city's assessments nearly all share one or two matrices, so a page
# or a worker parses each once. Bounded, since a fingerprint is forever the same content.
_BY_KEY: dict[str, FrozenMatrix] = {}
_BY_KEY_LIMIT = 256


def matrix_of(assessment: Assessment) -> FrozenMatrix:
    """ASSESSMENT's frozen matrix. When the row was read with its fingerprint and that matrix was
    seen before, neither the copy (about 20 KB, possibly deferred) nor its parse is needed again."""
    key = assessment.__dict__.get("risk_matrix_key")
    if key:
        found = _BY_KEY.get(key)
        if found is not None:
            return found
    frozen = FrozenMatrix(assessment.risk_matrix or {})
    if key:
        if len(_BY_KEY) >= _BY_KEY_LIMIT:
            _BY_KEY.clear()
        _BY_KEY[key] = frozen
    return frozen
