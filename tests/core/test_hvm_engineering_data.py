"""The threat-engineering tables: the shipped file, its schema, the core reader and overrides."""

from __future__ import annotations

import copy
import functools
from pathlib import Path
from typing import Any

import pytest
import yaml

from stoa.core import engineering_data
from stoa.core.engineering_data import EngineeringDataError, UnknownVehicleClass, load, shipped
from stoa.core.hvm import vehicle_dynamics
from stoa.library import yamlfile
from stoa.library.schema import check

SHIPPED = engineering_data.SHIPPED_PATH


@functools.cache
def _parsed() -> dict[str, Any]:
    return yaml.load(SHIPPED.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def raw() -> dict[str, Any]:
    """The shipped file's content (a fresh copy to change)."""
    return copy.deepcopy(_parsed())


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "threat-engineering.yaml"
    path.write_text(yaml.dump(data, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True,
                              sort_keys=False), encoding="utf-8")
    return path


def test_the_shipped_file_is_valid_and_next_to_the_other_libraries():
    assert SHIPPED.parent.name == "content" and SHIPPED.parent.parent.name == "library"
    assert yamlfile.read(SHIPPED).messages == []


def test_the_core_reads_what_the_schema_validated():
    model = yamlfile.read(SHIPPED).model
    assert model is not None
    data = shipped()
    vehicles = [o for o in model.objects if o.kind == "vehicle_class"]
    assert [v.ref_id for v in vehicles] == list(data.vehicle_classes) == ["M1", "N1G", "N1", "N2A", "N2B", "N3C", "N3F"]
    for vehicle in vehicles:
        core = data.vehicle_classes[vehicle.ref_id]
        assert (core.mass_kg, core.acceleration_ms2, core.top_speed_ms) == (
            vehicle.mass_kg.value, vehicle.acceleration_ms2.value, vehicle.top_speed_ms.value)
        assert core.flags["acceleration_ms2"] == "unverified"  # no public per-class values (research §7)
    assert data.chart().key == "NCTC_CURRENT" and data.surface().key == "UNKNOWN"
    assert data.gravity == 9.81 and data.parameter("CORNER_LEG_M") == 20.0
    assert data.los_scheme().key == "FRUIN_WALKWAY" and data.los_scheme(facility="queue").key == "FRUIN_QUEUEING"
    assert data.flow_rate("level").key == "GREEN_GUIDE_LEVEL" and data.flow_rate("IMO_CORRIDOR").p_per_m_per_min == 78
    assert shipped() is shipped()  # read once


def test_every_value_is_flagged():
    flags = set()

    def visit(value: Any) -> None:
        if isinstance(value, dict):
            if "flag" in value:
                flags.add(value["flag"])
            for inner in value.values():
                visit(inner)
        elif isinstance(value, list):
            for inner in value:
                visit(inner)

    for obj in raw()["objects"]:
        visit({k: v for k, v in obj.items() if k not in ("translations", "sources")})
    assert flags == {"read", "computed", "unverified"}


def test_unknown_keys_say_what_is_known():
    data = shipped()
    with pytest.raises(UnknownVehicleClass, match="unknown vehicle class 'N9'; known classes: M1, N1G, N1, N2A"):
        data.vehicle_class("N9")
    with pytest.raises(EngineeringDataError, match="unknown road surface 'LAVA'; known: UNKNOWN, ROADWAY_NORMAL"):
        data.surface("LAVA")
    with pytest.raises(EngineeringDataError, match="unknown flow rate or route 'escalator'; routes: corridor"):
        data.flow_rate("escalator")
    with pytest.raises(EngineeringDataError, match="no level-of-service scheme for 'ramp'"):
        data.los_scheme(facility="ramp")


def test_a_city_overrides_a_value_with_its_own_file(tmp_path):
    data = raw()
    for obj in data["objects"]:
        if obj.get("ref_id") == "M1":
            obj["acceleration_ms2"]["value"] = 4.5
    own = load(write(tmp_path, data))
    assert vehicle_dynamics("M1", data=own).acceleration_ms2 == 4.5
    assert vehicle_dynamics("M1").acceleration_ms2 == 3.0


def test_an_unreadable_file_is_refused(tmp_path):
    with pytest.raises(EngineeringDataError, match="cannot read the engineering data"):
        load(tmp_path / "missing.yaml")
    data = raw()
    del next(o for o in data["objects"] if o.get("ref_id") == "M1")["mass_kg"]
    with pytest.raises(EngineeringDataError, match=r"objects\[3\] \(urn:stoa:vehicle-class:m1\): cannot read "
                                                   r"vehicle_class: KeyError\('mass_kg'\)"):
        load(write(tmp_path, data))


def _changed(change) -> list[str]:
    """The schema's messages for the shipped content changed by CHANGE (validated without a file)."""
    data = raw()
    change(data)
    _, issues = check(data)
    return [f"objects[{i.loc[1]}] ({data['objects'][i.loc[1]]['urn']}): " + ".".join(
        f"[{part}]" if isinstance(part, int) else part for part in i.loc[2:]).replace(".[", "[") + f": {i.message}"
        if len(i.loc) > 2 and i.loc[0] == "objects" else f"{i.loc}: {i.message}" for i in issues]


def _object(data: dict[str, Any], ref_id: str) -> dict[str, Any]:
    return next(o for o in data["objects"] if o.get("ref_id") == ref_id)


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: _object(d, "M1")["test_classes"][0].update(standard="ASTM_F2656"),
     "(urn:stoa:vehicle-class:m1): test_classes[0].standard: unknown rating standard 'ASTM_F2656'"),
    (lambda d: _object(d, "N1")["test_classes"][0].update(code="M1", mass_kg=1500),
     "PAS_68 M1 at 1500 kg is already the test class of objects[3]"),
    (lambda d: _object(d, "WET_ASPHALT").update(default=True), "only one default road_surface; objects[10]"),
    (lambda d: _object(d, "M1")["mass_kg"].update(source=5), "a source index must name one of the object's 2 "
                                                              "sources (counting from 0); wrong: mass_kg: 5"),
    (lambda d: _object(d, "M1")["mass_kg"].update(flag="guessed"), "mass_kg.flag: input should be 'read', "),
    (lambda d: _object(d, "M1")["acceleration_ms2"].update(value=-3), "acceleration_ms2.value: input should be "
                                                                       "greater than 0"),
    (lambda d: _object(d, "FRUIN_WALKWAY")["levels"].reverse(), "levels must be A, B, C, D, E, F in that order"),
    (lambda d: _object(d, "NCTC_CURRENT")["rows"].reverse(), "rows must go from the smallest charge to the largest"),
    (lambda d: _object(d, "NCTC_CURRENT")["rows"][0].update(mandatory_m=60), "mandatory_m does not match its "
                                                                             "imperial value"),
    (lambda d: _object(d, "PAS_68")["speeds_kmh"].update(values=[16, 48, 32]), "values must increase"),
    (lambda d: _object(d, "LETHALITY_1")["upper_kpa"].update(value=100), "upper_kpa cannot be below kpa"),
    (lambda d: _object(d, "GREEN_GUIDE_STAIRS").update(route="level"), "only one default flow_rate for level"),
])
def test_the_schema_refuses_a_wrong_table_naming_the_object_and_field(change, message):
    messages = _changed(change)
    assert any(message in m for m in messages), messages
