"""Case bundles: one case study as a versioned, checksummed JSON document for another installation.

Format, version 1::

    {"format": "stoa-case-bundle", "version": 1, "created_at": "<ISO 8601, UTC>",
     "installation": "<UUID of the exporting installation>", "distribution": "CLEAR|GREEN|AMBER|AMBER+STRICT",
     "payload": {"case": {...}, "redaction": {...}, "names": {...}?, "location": {...}?},
     "sha256": "<hex SHA-256 of the canonical JSON of every other key>"}

Canonical JSON: keys sorted, no spaces (separators ``,`` and ``:``), UTF-8 without escaping
non-ASCII characters. Stoa writes the whole file in that form, so any changed byte either breaks
the JSON or changes the content, and the checksum no longer matches.

Redaction (``redacted_payload``): ``names`` (site, organisation, plan owner) only with
``include_names``; otherwise the site's and the organisation's names are replaced in every free
text (title, outcome, lessons, measure names, surroundings) by "[the public space]" and "[the
organisation]". ``location`` (the surroundings text) only with ``include_exact_location``; its
``centroid`` and GeoJSON ``boundary`` only with ``include_geometry`` as well. Without those, the
bundle says where only by the PSOI category and the threat types.

``read_bundle`` checks a received file without touching the database; the order of its checks
gives each problem its own message: JSON → format → version → checksum → schema.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticError

from stoa.cases.bundle_schema import FORMAT, VERSION, Bundle
from stoa.cases.models import CaseStudy, Distribution

SITE_PLACEHOLDER = "[the public space]"
ORGANISATION_PLACEHOLDER = "[the organisation]"
OWNER_PLACEHOLDER = "[the plan owner]"
MAX_BUNDLE_BYTES = 5 * 1024 * 1024


class BundleError(ValueError):
    """Why a bundle is refused or cannot be made; ``messages`` are shown to the user as they are."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(" ".join(messages))
        self.messages = messages


def canonical(document: dict[str, Any]) -> bytes:
    return json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def checksum(document: dict[str, Any]) -> str:
    """The SHA-256 of the canonical JSON of DOCUMENT without its ``sha256`` key."""
    return hashlib.sha256(canonical({k: v for k, v in document.items() if k != "sha256"})).hexdigest()


def _replacer(place: dict[str, Any]) -> Any:
    pairs = [(place.get("site_name", ""), SITE_PLACEHOLDER), (place.get("organisation_name", ""),
                                                              ORGANISATION_PLACEHOLDER),
             (place.get("plan_owner", ""), OWNER_PLACEHOLDER)]
    # Longest first, so "Grand-Place de Valmont" goes before "Valmont".
    pairs = sorted([(n.strip(), p) for n, p in pairs if len(n.strip()) >= 3], key=lambda pair: -len(pair[0]))

    def replace(text: str) -> str:
        for name, placeholder in pairs:
            # "the Grand-Place" → "[the public space]", not "the [the public space]".
            text = re.sub(rf"(?:\bthe\s+)?{re.escape(name)}", placeholder, text, flags=re.IGNORECASE)
        return text.strip()

    return replace


def redacted_payload(case: CaseStudy) -> dict[str, Any]:
    """What of CASE may leave the organisation, by its redaction choices."""
    place = case.place or {}
    text = (lambda value: value.strip()) if case.include_names else _replacer(place)
    payload: dict[str, Any] = {
        "case": {
            "title": text(case.title), "category": case.category.ref_id, "threats": sorted(case.threat_ids),
            "measures": [dict(m, name=text(m["name"])) for m in case.measures],
            "capital_eur": case.capital_eur, "yearly_eur": case.yearly_eur,
            "risk_profile": list(case.risk_profile), "outcome": text(case.outcome), "lessons": text(case.lessons),
            "written": timezone.localdate(case.created_at).isoformat(),
        },
        "redaction": {"include_geometry": case.include_geometry, "include_names": case.include_names,
                      "include_exact_location": case.include_exact_location},
    }
    if case.include_names:
        payload["names"] = {"site": place.get("site_name", ""), "organisation": place.get("organisation_name", ""),
                            "plan_owner": place.get("plan_owner", "")}
    if case.include_exact_location:
        location: dict[str, Any] = {"surroundings": text(place.get("surroundings", ""))}
        if case.include_geometry:
            if place.get("centroid"):
                location["centroid"] = [float(c) for c in place["centroid"]]
            if place.get("boundary"):
                location["boundary"] = place["boundary"]
        payload["location"] = location
    return payload


def export_bundle(case: CaseStudy, installation: str) -> dict[str, Any]:
    """The bundle of CASE; BundleError for a TLP:RED case (named recipients only) or an imported one."""
    if case.distribution == Distribution.RED:
        raise BundleError([_("TLP:RED is for named recipients only, in person or in a meeting: Stoa does not export "
                             "it as a file. Choose AMBER+STRICT or AMBER if the case may go to another city.")])
    if case.is_imported:
        raise BundleError([_("An imported case is not exported again: only the city that wrote it decides who "
                             "receives it. Ask them for their bundle.")])
    document: dict[str, Any] = {
        "format": FORMAT, "version": VERSION,
        "created_at": timezone.now().replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "installation": installation, "distribution": case.distribution, "payload": redacted_payload(case),
    }
    document["sha256"] = checksum(document)
    return document


def bundle_bytes(document: dict[str, Any]) -> bytes:
    """The file Stoa writes: the whole document as canonical JSON."""
    return canonical(document)


@dataclass
class ReadBundle:
    bundle: Bundle
    sha256: str


def _schema_messages(exc: PydanticError) -> list[str]:
    out = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"]) or _("the bundle")
        out.append(_("%(where)s: %(problem)s") % {"where": where, "problem": error["msg"]})
    return out


def read_bundle(data: bytes) -> ReadBundle:
    """Check the file DATA; BundleError with a specific message for the first kind of problem found."""
    if len(data) > MAX_BUNDLE_BYTES:
        raise BundleError([_("The file is larger than a case bundle can be (5 MB).")])
    try:
        document = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BundleError([_("This file is not JSON (%(reason)s), so it is not a Stoa case bundle.") % {
            "reason": str(exc)[:120]}]) from exc
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise BundleError([_("This is not a Stoa case bundle: its “format” is not “stoa-case-bundle”.")])
    version = document.get("version")
    if version != VERSION or isinstance(version, bool):
        raise BundleError([_("Version %(version)s is not supported; this Stoa reads version %(supported)s.") % {
            "version": json.dumps(version), "supported": VERSION}])
    given = document.get("sha256")
    if not isinstance(given, str) or not given:
        raise BundleError([_("The bundle has no checksum (“sha256”), so it cannot be trusted.")])
    actual = checksum(document)
    if given != actual:
        raise BundleError([_("The checksum does not match: the bundle was changed or damaged after it was exported.")])
    try:
        bundle = Bundle.model_validate(document)
    except PydanticError as exc:
        raise BundleError([_("The bundle does not follow the case bundle schema:"), *_schema_messages(exc)]) from exc
    if bundle.distribution == Distribution.RED:
        raise BundleError([_("This bundle is marked TLP:RED, which is for named recipients only and is never "
                             "exchanged as a file. Nothing was imported.")])
    return ReadBundle(bundle, actual)
