"""Freezing an evaluation into a decision record, and checking that the record computes again.

The record keeps the inputs (``compute.inputs_of``), the method, the versions of everything that
computed it (Stoa, numpy, scipy, the criteria library), and the outputs: the results of every
method, the break-even weights and the rank acceptability (seeded, so it repeats exactly). Its
SHA-256 covers inputs, outputs and versions in canonical JSON, so any later edit of the stored
record is visible. ``recompute(record)`` runs the same computation on the stored inputs.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stoa.evaluation.compute import ACCEPTABILITY_SAMPLES, compute, inputs_of
from stoa.evaluation.models import Alternative, DecisionRecord, Evaluation, EvaluationStatus
from stoa.evaluation.sensitivity import acceptability, break_evens

SEED = 0


class FreezeError(ValueError):
    """Why an evaluation cannot be frozen (shown to the user)."""


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "unknown"


def versions_of(evaluation: Evaluation) -> dict[str, Any]:
    from stoa.library.models import ReferenceObject

    source = ReferenceObject.objects.filter(urn=evaluation.criteria_source).select_related("library").first()
    return {"stoa": _version("stoa"), "numpy": _version("numpy"), "scipy": _version("scipy"),
            "criteria_library": None if source is None else {"urn": source.library.urn,
                                                            "version": source.library.version},
            "acceptability": {"samples": ACCEPTABILITY_SAMPLES, "seed": SEED}}


def outputs_for(inputs: dict[str, Any], samples: int = ACCEPTABILITY_SAMPLES) -> dict[str, Any]:
    """Everything a record shows, computed from INPUTS alone."""
    outputs = compute(inputs)
    ids, matrix = acceptability(inputs, samples=samples, seed=SEED)
    outputs["break_even"] = {k: None if v is None else round(v, 10) for k, v in break_evens(inputs).items()}
    outputs["acceptability"] = {"alternatives": ids, "matrix": [[round(float(p), 10) for p in row] for row in matrix]}
    return outputs


def checksum(inputs: dict[str, Any], outputs: dict[str, Any], versions: dict[str, Any]) -> str:
    canonical = json.dumps({"inputs": inputs, "outputs": outputs, "versions": versions}, sort_keys=True,
                           separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def freeze(evaluation: Evaluation, user: Any, chosen: Alternative | None, rationale: str) -> DecisionRecord:
    """Record the decision and lock the evaluation; raises FreezeError when it cannot be decided."""
    if evaluation.is_frozen:
        raise FreezeError(_("This evaluation is already frozen."))
    if not rationale.strip():
        raise FreezeError(_("Give the reasons for the decision."))
    if chosen is not None and chosen.evaluation_id != evaluation.pk:
        raise FreezeError(_("The chosen solution is not an alternative of this evaluation."))
    inputs = inputs_of(evaluation)
    if not inputs["scores"]:
        raise FreezeError(_("Nobody has scored yet: there is nothing to decide on."))
    outputs = outputs_for(inputs)
    versions = versions_of(evaluation)
    with transaction.atomic():
        record = DecisionRecord.objects.create(
            evaluation=evaluation, organisation_id=evaluation.organisation_id, chosen=chosen,
            rationale=rationale.strip(), inputs=inputs, outputs=outputs, versions=versions,
            sha256=checksum(inputs, outputs, versions), frozen_by=user if user.is_authenticated else None)
        Evaluation.objects.filter(pk=evaluation.pk).update(status=EvaluationStatus.FROZEN, updated_at=timezone.now())
        evaluation.status = EvaluationStatus.FROZEN
    return record


@dataclass
class RecomputeCheck:
    identical: bool
    checksum_ok: bool
    differences: list[str]


def recompute(record: DecisionRecord) -> RecomputeCheck:
    """Compute the record's outputs again from its stored inputs and compare."""
    # JSON round trip: what is stored is what is compared, whatever the database backend.
    stored_inputs = json.loads(json.dumps(record.inputs))
    fresh = json.loads(json.dumps(outputs_for(stored_inputs)))
    stored = json.loads(json.dumps(record.outputs))
    differences = sorted(k for k in set(fresh) | set(stored) if fresh.get(k) != stored.get(k))
    return RecomputeCheck(not differences, checksum(record.inputs, record.outputs, record.versions) == record.sha256,
                          differences)
