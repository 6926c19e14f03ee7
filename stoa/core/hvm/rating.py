"""Vehicle security barrier ratings: parse, format, recommend and compare.

Notations (research note §1.1; the standards' data are in ``threat-engineering.yaml``):

* **ISO 22343-1** and **IWA 14-1**: ``V/7200[N3C]/64/90:1.3``: V (vehicle impact test) / test
  mass in kg / [vehicle class] / impact speed in km/h / impact angle in degrees : dynamic
  penetration in m (from the barrier's front face). No debris distance.
* **PAS 68**: ``V/7500(N2)/64/90:3.5/25.0``, the same with the class in round brackets, the
  penetration measured from the rear face, then / major debris distance in m.

A rating may start with its standard, e.g. ``PAS 68:2013 V/7500(N2)/64/90:3.5/25.0`` or
``IWA 14-1 V/7200[N2A]/48/90``. Without one (and without a ``standard`` argument), the
standard is inferred: a debris distance or a class only PAS 68 has (N2, N3 at 7,500 kg) means
PAS 68; otherwise round brackets mean PAS 68 and square brackets ISO 22343-1, the current
standard (IWA 14-1 writes the same string: pass ``standard="IWA_14_1"`` or write the prefix).
Bracket styles are read leniently (catalogues print ``V/7500[N2]/80/90:0.5`` too); the
formatter writes each standard's own style.

``parse_rating`` checks, and says what is wrong and where (a ``RatingError`` with the
character position): the V/ test type, a whole mass in kg, a class code the standard knows at
that test mass (``strict``; the class list is data), numbers for speed, angle, penetration and
debris, an angle in (0, 90], and a debris distance only for PAS 68. Test speeds are not forced
onto the standards' speed steps (those lists are unverified data).

``required_rating`` recommends, for a vehicle class and a computed impact speed, the smallest
test speed of each standard at or above it, written in each standard's notation.
``check_rating`` tells whether an existing barrier's rating covers a vehicle class at a speed
(and approach angle): the rating's test class must be that vehicle class's test class in the
rating's standard (a heavier class only with ``accept_heavier``: vehicles of different classes
hit a barrier at different heights), its test speed at least the impact speed and its test angle
at least the approach angle (90° covers every angle).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from stoa.core.engineering_data import EngineeringData, RatingStandard, VehicleClass, shipped

NUMBER = re.compile(r"\d+(?:\.\d+)?")
WHOLE = re.compile(r"\d+")
CODE = re.compile(r"[A-Za-z][A-Za-z0-9]*")
CLOSING = {"[": "]", "(": ")"}
CATEGORY_ORDER = {"M1": 0, "N1": 1, "N2": 2, "N3": 3}
TOLERANCE_KMH = 1e-9


class RatingError(ValueError):
    """A rating string that cannot be read, with where (``position``, from 0) and which ``part`` is wrong."""

    def __init__(self, text: str, position: int, part: str, problem: str) -> None:
        self.text = text
        self.position = position
        self.part = part
        self.problem = problem
        super().__init__(f"rating {text!r}: {part} at character {position + 1}: {problem}")


@dataclass(frozen=True)
class Rating:
    """A barrier's test rating. ``vehicle_class`` is the class code as the standard writes it."""

    standard: str  # a rating_standard key: "PAS_68", "IWA_14_1", "ISO_22343_1"
    vehicle_class: str
    mass_kg: int
    speed_kmh: float
    angle_deg: float = 90.0
    penetration_m: float | None = None
    debris_m: float | None = None
    edition: str | None = None

    @property
    def speed_ms(self) -> float:
        return self.speed_kmh / 3.6


def _standards(data: EngineeringData) -> list[RatingStandard]:
    return sorted(data.standards.values(), key=lambda s: s.order)


def _prefix(text: str, data: EngineeringData) -> tuple[RatingStandard | None, str | None, int]:
    """The standard written before the body, its edition, and where the body starts."""
    body = text.find("V/")
    if body < 0:
        lower = text.lower().find("v/")
        raise RatingError(text, max(lower, 0), "test type", "a rating starts with 'V/' (vehicle impact test)"
                          + (", in capitals" if lower >= 0 else ""))
    head = text[:body].strip()
    if not head:
        return None, None, body
    folded = " ".join(head.split()).upper()
    for standard in _standards(data):
        for alias in sorted(standard.aliases, key=len, reverse=True):
            name = alias.upper()
            if folded == name:
                return standard, None, body
            if folded.startswith(name + ":"):
                edition = folded[len(name) + 1:].strip()
                if not WHOLE.fullmatch(edition):
                    raise RatingError(text, text.find(":"), "standard", f"edition {edition!r} is not a year")
                return standard, edition, body
    known = ", ".join(s.label for s in _standards(data))
    raise RatingError(text, 0, "standard", f"unknown standard {head!r}; known: {known}")


def parse_rating(text: str, *, standard: str | None = None, strict: bool = True,
                 data: EngineeringData | None = None) -> Rating:
    """The rating written in TEXT (see the module doc); STANDARD (a key such as "IWA_14_1") when TEXT has no prefix.

    With STRICT (the default) the class must be known to the standard at the written test mass.
    """
    tables = data or shipped()
    if not isinstance(text, str):
        raise TypeError(f"a rating is text, got {type(text).__name__}")
    if not text.strip():
        raise RatingError(text, 0, "rating", "the rating is empty")
    written, edition, position = _prefix(text, tables)
    if standard is not None:
        if standard not in tables.standards:
            raise RatingError(text, 0, "standard", f"unknown standard {standard!r}; known: "
                              + ", ".join(tables.standards))
        if written is not None and written.key != standard:
            raise RatingError(text, 0, "standard", f"the text says {written.label}, the caller {standard}")
        written = tables.standards[standard]

    cursor = position + 2

    def token(stops: str, part: str, pattern: re.Pattern[str], problem: str) -> tuple[str, int]:
        """The text up to the next of STOPS, which must match PATTERN."""
        nonlocal cursor
        at = cursor
        while cursor < len(text) and text[cursor] not in stops:
            cursor += 1
        found = text[at:cursor].strip()
        if not found:
            following = text[cursor:cursor + 1]
            raise RatingError(text, at, part, "missing, found " + (repr(following) if following
                                                                    else "the end of the text"))
        if not pattern.fullmatch(found):
            raise RatingError(text, at, part, f"{found!r} {problem}")
        return found, at

    def literal(char: str, part: str, problem: str) -> None:
        nonlocal cursor
        if text[cursor:cursor + 1] != char:
            shown = text[cursor:cursor + 1]
            raise RatingError(text, cursor, part, f"expected {char!r} {problem}, found "
                              + (repr(shown) if shown else "the end of the text"))
        cursor += 1

    found, mass_at = token("[(/", "test mass", WHOLE, "is not a whole number of kilograms")
    mass = int(found)
    if mass <= 0:
        raise RatingError(text, mass_at, "test mass", "must be above 0 kg")
    opening = text[cursor:cursor + 1]
    if opening not in CLOSING:
        raise RatingError(text, cursor, "vehicle class", "expected the class in brackets, [N3C] or (N2), found "
                          + (repr(opening) if opening else "the end of the text"))
    cursor += 1
    found, code_at = token("])/", "vehicle class", CODE, "is not a vehicle class code such as N2A")
    code = found.upper()
    literal(CLOSING[opening], "vehicle class", "to close the class")
    literal("/", "impact speed", "before the speed")
    found, speed_at = token("/:", "impact speed", NUMBER, "is not a number of km/h")
    speed = float(found)
    if speed <= 0:
        raise RatingError(text, speed_at, "impact speed", "must be above 0 km/h")
    literal("/", "impact angle", "before the angle")
    found, angle_at = token(":/", "impact angle", NUMBER, "is not a number of degrees")
    angle = float(found)
    if not 0 < angle <= 90:
        raise RatingError(text, angle_at, "impact angle", f"{angle:g}° is outside 0–90°")
    penetration = debris = None
    debris_at = -1
    if text[cursor:cursor + 1] == "/":
        raise RatingError(text, cursor, "penetration", "expected ':' before the penetration, found '/'")
    if text[cursor:cursor + 1] == ":":
        cursor += 1
        penetration = float(token("/", "penetration", NUMBER, "is not a number of metres")[0])
        if text[cursor:cursor + 1] == "/":
            cursor += 1
            found, debris_at = token("", "debris distance", NUMBER, "is not a number of metres")
            debris = float(found)

    chosen = written or _infer(text, code, mass, opening, debris_at, strict, code_at, mass_at, tables)
    if debris is not None and not chosen.debris_distance:
        raise RatingError(text, debris_at, "debris distance", f"{chosen.label} ratings have no debris distance")
    if strict:
        _known_class(text, chosen, code, mass, code_at, mass_at, tables)
    return Rating(chosen.key, code, mass, speed, angle, penetration, debris, edition)


def _classes_of(standard: str, data: EngineeringData) -> list[tuple[str, int]]:
    return [(t.code, t.mass_kg) for v in data.vehicle_classes.values() for t in v.test_classes
            if t.standard == standard]


def _known_class(text: str, standard: RatingStandard, code: str, mass: int, code_at: int, mass_at: int,
                 data: EngineeringData) -> None:
    classes = _classes_of(standard.key, data)
    masses = sorted({m for c, m in classes if c == code})
    if not masses:
        known = ", ".join(dict.fromkeys(c for c, _ in classes))
        raise RatingError(text, code_at, "vehicle class", f"unknown vehicle class {code!r} for {standard.label}; "
                          f"known: {known}")
    if mass not in masses:
        raise RatingError(text, mass_at, "test mass", f"{standard.label} tests class {code} at "
                          + " or ".join(f"{m} kg" for m in masses) + f", not {mass} kg")


def _infer(text: str, code: str, mass: int, opening: str, debris_at: int, strict: bool, code_at: int, mass_at: int,
           data: EngineeringData) -> RatingStandard:
    """The standard of a rating written without one (see the module doc)."""
    style = "round" if opening == "(" else "square"

    def preferred(standards: list[RatingStandard]) -> RatingStandard:
        return sorted(standards, key=lambda s: (s.brackets != style, s.status != "current", s.order))[0]

    with_code = [s for s in _standards(data) if code in {c for c, _ in _classes_of(s.key, data)}]
    if not with_code:
        known = ", ".join(dict.fromkeys(c for s in _standards(data) for c, _ in _classes_of(s.key, data)))
        raise RatingError(text, code_at, "vehicle class", f"unknown vehicle class {code!r}; known: {known}")
    if debris_at >= 0:
        with_debris = [s for s in with_code if s.debris_distance]
        if not with_debris:
            raise RatingError(text, debris_at, "debris distance", f"{preferred(with_code).label} ratings have no "
                              "debris distance")
        with_code = with_debris
    with_mass = [s for s in with_code if (code, mass) in _classes_of(s.key, data)]
    return preferred(with_mass or with_code)  # no match at this mass: _known_class says so when strict


def _decimal(value: float, *, keep_one: bool) -> str:
    text = format(float(value), ".6f").rstrip("0")
    if text.endswith("."):
        text = text + "0" if keep_one else text[:-1]
    return text


def format_rating(rating: Rating, *, with_standard: bool = False, data: EngineeringData | None = None) -> str:
    """RATING in its standard's notation, e.g. ``V/7200[N3C]/64/90:1.3``; WITH_STANDARD puts the standard first."""
    tables = data or shipped()
    if rating.standard not in tables.standards:
        raise ValueError(f"unknown standard {rating.standard!r}; known: " + ", ".join(tables.standards))
    standard = tables.standards[rating.standard]
    opening, closing = ("(", ")") if standard.brackets == "round" else ("[", "]")
    body = (f"V/{int(rating.mass_kg)}{opening}{rating.vehicle_class}{closing}/"
            f"{_decimal(rating.speed_kmh, keep_one=False)}/{_decimal(rating.angle_deg, keep_one=False)}")
    if rating.penetration_m is not None:
        body += ":" + _decimal(rating.penetration_m, keep_one=True)
        if rating.debris_m is not None:
            body += "/" + _decimal(rating.debris_m, keep_one=True)
    elif rating.debris_m is not None:
        raise ValueError("a rating with a debris distance needs its penetration too")
    if not with_standard:
        return body
    return f"{standard.label}{':' + rating.edition if rating.edition else ''} {body}"


def rating_vehicle_class(rating: Rating, data: EngineeringData | None = None) -> VehicleClass | None:
    """The Stoa vehicle class that RATING's standard tests with its class code and mass (None if unknown)."""
    tables = data or shipped()
    for vehicle in tables.vehicle_classes.values():
        test = vehicle.test_class(rating.standard)
        if test is not None and test.code == rating.vehicle_class and test.mass_kg == rating.mass_kg:
            return vehicle
    return None


@dataclass(frozen=True)
class RequiredRating:
    """The smallest rating of each standard that covers VEHICLE_CLASS at IMPACT_SPEED_MS."""

    vehicle_class: str
    impact_speed_ms: float
    angle_deg: float
    ratings: Mapping[str, Rating] = field(default_factory=dict)  # standard key → rating (no penetration)
    notations: Mapping[str, str] = field(default_factory=dict)  # standard key → e.g. "V/7200[N3C]/64/90"
    missing: Mapping[str, str] = field(default_factory=dict)  # standard key → why it has no rating

    @property
    def impact_speed_kmh(self) -> float:
        return self.impact_speed_ms * 3.6


def required_rating(vehicle_class: str | VehicleClass, impact_speed_ms: float, *, angle_deg: float = 90.0,
                    data: EngineeringData | None = None) -> RequiredRating:
    """For each standard, the rating at the smallest test speed (the standard's speed steps) ≥ IMPACT_SPEED_MS.

    The angle is the head-on test angle, 90°, unless ANGLE_DEG says otherwise (a 90° rating
    covers every approach angle). A standard that does not test the class, or whose highest
    test speed is below the impact speed, is listed in ``missing`` with the reason.
    """
    tables = data or shipped()
    vehicle = tables.vehicle_class(vehicle_class)
    speed = float(impact_speed_ms)
    if not speed >= 0 or speed == float("inf"):
        raise ValueError(f"impact_speed_ms must be a finite speed of at least 0, got {impact_speed_ms!r}")
    if not 0 < angle_deg <= 90:
        raise ValueError(f"angle_deg {angle_deg!r} is outside 0–90°")
    kmh = speed * 3.6
    ratings: dict[str, Rating] = {}
    notations: dict[str, str] = {}
    missing: dict[str, str] = {}
    for standard in _standards(tables):
        test = vehicle.test_class(standard.key)
        if test is None:
            missing[standard.key] = f"{standard.label} has no test class for {vehicle.key}"
            continue
        steps = [s for s in standard.speeds_kmh if s + TOLERANCE_KMH >= kmh]
        if not steps:
            missing[standard.key] = (f"{kmh:.1f} km/h is above the highest {standard.label} test speed, "
                                     f"{max(standard.speeds_kmh):g} km/h")
            continue
        rating = Rating(standard.key, test.code, test.mass_kg, steps[0], float(angle_deg))
        ratings[standard.key] = rating
        notations[standard.key] = format_rating(rating, data=tables)
    return RequiredRating(vehicle.key, speed, float(angle_deg), ratings, notations, missing)


@dataclass(frozen=True)
class RatingCheck:
    stops: bool
    reason: str


def check_rating(rating: Rating | str, vehicle_class: str | VehicleClass, impact_speed_ms: float, *,
                 angle_deg: float | None = None, max_penetration_m: float | None = None, accept_heavier: bool = False,
                 data: EngineeringData | None = None) -> RatingCheck:
    """Whether a barrier rated RATING stops VEHICLE_CLASS at IMPACT_SPEED_MS (and ANGLE_DEG), and why (module doc)."""
    tables = data or shipped()
    rated = parse_rating(rating, data=tables) if isinstance(rating, str) else rating
    vehicle = tables.vehicle_class(vehicle_class)
    standard = tables.standards.get(rated.standard)
    label = standard.label if standard else rated.standard
    test = vehicle.test_class(rated.standard)
    notation = format_rating(rated, data=tables) if standard else str(rated)
    if test is None:
        return RatingCheck(False, f"{label} has no test class for {vehicle.key}, so {notation} says nothing about it")
    same = test.code == rated.vehicle_class and test.mass_kg == rated.mass_kg
    if not same:
        tested = rating_vehicle_class(rated, tables)
        heavier = (tested is not None and rated.mass_kg >= test.mass_kg
                   and CATEGORY_ORDER.get(tested.category, -1) >= CATEGORY_ORDER.get(vehicle.category, 99))
        if not (accept_heavier and heavier):
            return RatingCheck(False, f"{notation} was tested with {rated.vehicle_class} at {rated.mass_kg} kg, "
                               f"not {vehicle.key} ({test.code} at {test.mass_kg} kg in {label})")
    kmh = float(impact_speed_ms) * 3.6
    if rated.speed_kmh + TOLERANCE_KMH < kmh:
        return RatingCheck(False, f"{notation} is rated at {rated.speed_kmh:g} km/h, below the impact speed "
                           f"{kmh:.1f} km/h")
    if angle_deg is not None and rated.angle_deg + 1e-9 < angle_deg:
        return RatingCheck(False, f"{notation} is rated at {rated.angle_deg:g}°, below the approach angle "
                           f"{angle_deg:.0f}°")
    if max_penetration_m is not None:
        if rated.penetration_m is None:
            return RatingCheck(False, f"{notation} gives no penetration to compare with {max_penetration_m:g} m")
        if rated.penetration_m > max_penetration_m:
            return RatingCheck(False, f"{notation} lets the vehicle penetrate {rated.penetration_m:g} m, more than "
                               f"{max_penetration_m:g} m")
    return RatingCheck(True, f"{notation} covers {vehicle.key} at {kmh:.1f} km/h")


def rating_stops(rating: Rating | str, vehicle_class: str | VehicleClass, impact_speed_ms: float,
                 **options: object) -> bool:
    """``check_rating(...).stops``."""
    return check_rating(rating, vehicle_class, impact_speed_ms, **options).stops  # type: ignore[arg-type]
