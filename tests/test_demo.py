"""The fictional demo city: complete, valid, idempotent, atomic, and its password never stored."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.contrib.auth import get_user_model
from shapely.geometry import shape

from stoa.accounts.models import Membership, Organisation
from stoa.accounts.roles import Role
from stoa.cli import main
from stoa.core import geometry
from stoa.demo.loader import DEMO_FILE, DemoError, generate_password, load_demo, read_demo_file
from stoa.demo.schema import EventSpec
from stoa.library.loader import load_shipped
from stoa.sites.models import AccessPoint, CrowdSlot, Site, SiteEvent, SiteShare, Zone

PASSWORD = "demo-test-pass-42"
ALL_MODELS = (Organisation, Membership, Site, Zone, AccessPoint, CrowdSlot, SiteEvent, SiteShare)


@pytest.fixture
def libraries(db: Any) -> None:
    load_shipped()


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in (*ALL_MODELS, get_user_model())}


def write_variant(tmp_path: Path, change: Any) -> Path:
    data = yaml.safe_load(DEMO_FILE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "variant.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_demo_city_covers_every_category_role_and_part(libraries: None) -> None:
    result = load_demo(password=PASSWORD)
    assert result.created and result.password == PASSWORD
    city = Organisation.objects.get(slug="valmont-sur-lys")
    police = Organisation.objects.get(slug="police-valmont")
    assert city.kind == "municipality" and police.kind == "police"
    assert city.parent is not None and city.parent.kind == "region"
    assert "fictional" in city.name.lower()

    sites = Site.objects.filter(organisation=city)
    assert sites.count() >= 8
    assert set(sites.values_list("category__ref_id", flat=True)) == {
        "TRANSPORT_HUB", "SQUARE", "SHOPPING", "NIGHTLIFE", "CULTURAL", "BUSINESS", "WORSHIP", "INSTITUTIONAL"}
    for site in sites:
        assert site.zones.exists(), site.name
        assert site.crowdslots.exists(), site.name
        assert site.description and site.surroundings, site.name
        assert set(site.accesspoints.values_list("kind", flat=True)) & {"vehicle", "mixed"}, site.name
    kinds = set(AccessPoint.objects.values_list("kind", flat=True))
    assert {"vehicle", "pedestrian", "emergency"} <= kinds
    events = SiteEvent.objects.filter(organisation=city)
    assert events.count() >= 2
    with_layout = [e for e in events if e.layout and e.layout["features"]]
    assert {e.site.name for e in with_layout} == {"Grand-Place", "Parc des Berges"}  # Christmas market, festival
    assert all(slot.peak_people >= slot.typical_people for slot in CrowdSlot.objects.all())

    roles = set(Membership.objects.filter(organisation=city).values_list("role", flat=True))
    assert roles == set(Role.values)
    police_roles = set(Membership.objects.filter(organisation=police).values_list("role", flat=True))
    assert {"admin", "police_liaison"} <= police_roles


def test_demo_geometry_is_a_plausible_town_centre(libraries: None) -> None:
    load_demo(password=PASSWORD)
    city = Organisation.objects.get(slug="valmont-sur-lys")
    outline = geometry.parse(city.outline, "Polygon")
    centre = geometry.centroid(geometry.parse(Site.objects.get(name="Grand-Place").boundary, "Polygon"))
    for site in Site.objects.filter(organisation=city):
        boundary = geometry.parse(site.boundary, "Polygon")  # valid, not self-crossing
        assert 1_000 < site.area_m2 < 100_000, site.name
        assert outline.contains(boundary), site.name
        assert geometry.distance_m(geometry.centroid(boundary), centre) < 1_500, site.name
        slack = boundary.buffer(0.00002)  # about 2 m: rounding of the stored coordinates
        for zone in site.zones.all():
            assert slack.contains(shape(zone.geometry)), (site.name, zone.name)
        for point in site.accesspoints.all():
            assert slack.buffer(0.0001).contains(shape(point.geometry)), (site.name, point.name)
    others = [geometry.parse(s.boundary, "Polygon") for s in Site.objects.filter(organisation=city)]
    overlaps = [(i, j) for i, a in enumerate(others) for j, b in enumerate(others) if i < j and a.overlaps(b)]
    assert overlaps == []


def test_police_and_region_see_only_what_was_shared(libraries: None) -> None:
    load_demo(password=PASSWORD)
    User = get_user_model()
    police = User.objects.get(username="police.liaison")
    region = User.objects.get(username="region.viewer")
    municipal = User.objects.get(username="valmont.viewer")
    shares = SiteShare.objects.filter(organisation__slug="police-valmont")
    shared_with_police = set(shares.values_list("site_id", flat=True))
    assert len(shared_with_police) >= 2
    assert set(Site.objects.for_user(police).values_list("id", flat=True)) == shared_with_police
    assert not Site.objects.for_user(police, "change").exists()
    assert Site.objects.for_user(region).count() == 1
    assert Site.objects.for_user(municipal).count() == Site.objects.count()
    assert all(share.shared_by and share.shared_by.username == "valmont.admin" for share in SiteShare.objects.all())


@pytest.mark.real_password_hashing
def test_password_is_shared_hashed_and_random(libraries: None) -> None:
    load_demo(password=PASSWORD)
    for user in get_user_model().objects.all():
        assert PASSWORD not in user.password and user.password.startswith("argon2")
        assert user.check_password(PASSWORD)
    first, second = generate_password(), generate_password()
    assert first != second and len(first) == 19


def test_loading_twice_changes_nothing(libraries: None) -> None:
    load_demo(password=PASSWORD)
    before = counts()
    again = load_demo()
    assert not again.created and again.password is None
    assert counts() == before


def test_a_bad_file_writes_nothing_and_names_the_place(libraries: None, tmp_path: Path) -> None:
    def cross_a_zone(data: dict[str, Any]) -> None:
        ring = data["sites"][4]["zones"][0]["outline"]["coordinates"][0]
        ring[1], ring[2] = ring[2], ring[1]  # a bow tie

    before = counts()
    with pytest.raises(DemoError, match=r"site parc, zone Great lawn: .*crosses itself"):
        load_demo(password=PASSWORD, path=write_variant(tmp_path, cross_a_zone))
    assert counts() == before


def test_schema_errors_name_the_entry(tmp_path: Path) -> None:
    def unknown_category(data: dict[str, Any]) -> None:
        data["sites"][2]["category"] = "STADIUM"

    with pytest.raises(DemoError, match=r"sites\.2\.category: .*unknown category 'STADIUM'"):
        read_demo_file(write_variant(tmp_path, unknown_category))

    def unquoted_time(data: dict[str, Any]) -> None:
        data["sites"][0]["crowd"][0]["from"] = 1080  # what YAML makes of an unquoted 18:00

    with pytest.raises(DemoError, match=r"sites\.0\.crowd\.0\.from: .*quoted 'HH:MM'"):
        read_demo_file(write_variant(tmp_path, unquoted_time))


def test_half_present_demo_is_refused(libraries: None) -> None:
    get_user_model().objects.create_user("valmont.officer", password="x-unrelated-123")
    before = counts()
    with pytest.raises(DemoError, match=r"valmont\.officer"):
        load_demo(password=PASSWORD)
    assert counts() == before


def test_categories_must_be_loaded_first(db: Any) -> None:
    with pytest.raises(DemoError, match="stoa library load"):
        load_demo(password=PASSWORD)
    assert not Organisation.objects.exists()


@pytest.mark.parametrize(("start", "end", "today", "expected"), [
    ("11-27", "12-31", datetime.date(2026, 3, 1), (datetime.date(2026, 11, 27), datetime.date(2026, 12, 31))),
    ("11-27", "12-31", datetime.date(2026, 12, 31), (datetime.date(2026, 11, 27), datetime.date(2026, 12, 31))),
    ("11-27", "12-31", datetime.date(2027, 1, 1), (datetime.date(2027, 11, 27), datetime.date(2027, 12, 31))),
    ("12-20", "01-04", datetime.date(2027, 1, 2), (datetime.date(2026, 12, 20), datetime.date(2027, 1, 4))),
    ("12-20", "01-04", datetime.date(2027, 1, 5), (datetime.date(2027, 12, 20), datetime.date(2028, 1, 4))),
    ("02-29", "03-01", datetime.date(2027, 1, 1), (datetime.date(2027, 2, 28), datetime.date(2027, 3, 1))),
])
def test_event_dates_follow_the_calendar(start: str, end: str, today: datetime.date,
                                         expected: tuple[datetime.date, datetime.date]) -> None:
    event = EventSpec(name="x", start=start, end=end, expected_peak=1)
    assert event.dates(today) == expected


def test_cli_prints_the_password_once(libraries: None, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    first = capsys.readouterr().out
    assert "valmont.admin" in first and "police.liaison" in first and "fictional" in first
    password = first.split("note it: ")[1].split()[0]
    assert get_user_model().objects.get(username="valmont.viewer").check_password(password)
    assert main(["demo"]) == 0
    second = capsys.readouterr().out
    assert "nothing changed" in second and password not in second


def test_setup_loads_everything_once_and_keeps_data(db: Any, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["setup"]) == 0
    out = capsys.readouterr().out
    assert "Loaded the demo city" in out and "Administrator created: user name admin" in out
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser
    assert Membership.objects.get(user=admin).organisation.slug == "valmont-sur-lys"
    password = out.split("note it: ")[1].split()[0]
    assert admin.check_password(password)
    Site.objects.filter(name="Grand-Place").update(description="Edited by the city")
    before = counts()
    assert main(["setup"]) == 0
    out = capsys.readouterr().out
    assert "demo city was not loaded" in out and "one exists already" in out and password not in out
    assert counts() == before
    assert Site.objects.get(name="Grand-Place").description == "Edited by the city"


def test_setup_on_a_real_installation_skips_the_demo(db: Any, capsys: pytest.CaptureFixture[str]) -> None:
    Organisation.objects.create(slug="real-town", name="Real Town", kind="municipality")
    assert main(["setup", "--no-demo"]) == 0
    out = capsys.readouterr().out
    assert "demo city was not loaded" in out
    assert not Organisation.objects.filter(slug="valmont-sur-lys").exists()
    assert not Membership.objects.filter(user__username="admin").exists()
