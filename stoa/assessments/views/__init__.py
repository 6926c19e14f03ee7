"""Pages of the assessment workflow. Every object is loaded through the tenancy mechanism."""

from __future__ import annotations

from typing import Any

from stoa.library.cached import in_order


def nav_context() -> dict[str, Any]:
    """What the step navigation needs: the question bank's sections, in order."""
    return {"question_sections": in_order("question_section")}
