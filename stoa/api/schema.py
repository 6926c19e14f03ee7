"""drf-spectacular postprocessing hooks: what the generated schema would otherwise get wrong.

``document_errors``: the error responses every operation can give, written into the schema once.

drf-spectacular documents the success response of each view; the refusals come from the shared
machinery (authentication, ``OrgScopedViewSet``'s 404 for what the caller may not see, the
exception handler in ``stoa.api.errors``) and so apply to every operation alike. Without them here
a client (or a fuzzer checking responses against the schema) would meet statuses the schema never
named.

``describe_times``: a time of day is sent and read as ``HH:MM[:SS[.ffffff]]``, local to the site,
without a UTC offset. OpenAPI's ``format: time`` is RFC 3339's full-time, which needs an offset, so
it would tell clients (and validators) that every time Stoa returns is malformed.
"""

from __future__ import annotations

from typing import Any

ERROR_SCHEMA = {
    "type": "object",
    "description": "The one error shape of the API (stoa.api.errors).",
    "properties": {
        "detail": {"type": "string", "description": "What went wrong, in words for a person."},
        "errors": {"type": "object", "additionalProperties": True,
                   "description": "On a 400: each field with what is wrong with it."},
    },
    "required": ["detail"],
}

_WRITES = {"post", "put", "patch"}
_DESCRIPTIONS = {
    "400": "The data sent has problems: errors says which.",
    "401": "No valid credentials were sent.",
    "403": "Your role does not allow this.",
    "404": "No such object, or not one you may see.",
    "409": "The object's state or existing data refuses the change.",
}


def _codes(path: str, method: str, operation: dict[str, Any]) -> list[str]:
    codes = ["401", "403"]
    if method in _WRITES or any(p.get("in") == "query" for p in operation.get("parameters", [])):
        codes.append("400")
    if "{" in path or method in _WRITES:  # a body may name an object (a site, an RFI) the caller cannot see
        codes.append("404")
    if method in _WRITES or method == "delete":
        codes.append("409")
    return codes


def document_errors(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: add the shared error responses to every operation."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    reference = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for code in _codes(path, method, operation):
                response = responses.setdefault(code, {"description": _DESCRIPTIONS[code]})
                response.setdefault("content", reference)
    return result


TIME_OF_DAY = {"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$", "example": "08:30:00"}


def _replace_times(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("format") == "time":
            del node["format"]
            node.setdefault("pattern", TIME_OF_DAY["pattern"])
            node.setdefault("example", TIME_OF_DAY["example"])
        for value in node.values():
            _replace_times(value)
    elif isinstance(node, list):
        for value in node:
            _replace_times(value)


def describe_times(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: times of day without an offset, as the API sends them."""
    _replace_times(result)
    return result
