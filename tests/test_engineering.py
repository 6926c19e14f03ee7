"""Engineering pages: a scenario's blast stand-off and a site's crowd density and egress."""

from __future__ import annotations

import pytest
from django.urls import reverse

from stoa.core import exposure
from stoa.engineering.models import BlastAnalysis
from tests import factories
from tests.assessment_samples import make_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    org = factories.make_org()
    site = factories.make_site(org)
    zone = factories.make_zone(site)  # the whole site square, about 140 m × 133 m
    slot = factories.make_crowd_slot(site, peak_people=2000)
    assessment = make_assessment(site)
    scenario = assessment.scenarios.get(threat__ref_id="VBIED")
    return {"org": org, "site": site, "zone": zone, "slot": slot, "scenario": scenario,
            "officer": factories.make_user(org), "viewer": factories.make_user(org, role="viewer")}


def _url(scenario):
    return reverse("engineering:blast", args=[scenario.pk])


def test_an_outsider_gets_404(client, world):
    client.force_login(factories.make_user(factories.make_org()))
    assert client.get(_url(world["scenario"])).status_code == 404


def test_a_viewer_sees_the_page_but_cannot_save(client, world):
    client.force_login(world["viewer"])
    assert client.get(_url(world["scenario"])).status_code == 200
    response = client.post(_url(world["scenario"]), {"threat_category": "SUV_VAN", "chart": "NCTC_CURRENT"})
    assert response.status_code == 403
    assert not BlastAnalysis.objects.exists()


def test_a_negative_charge_is_refused_with_its_own_message_and_nothing_saved(client, world):
    client.force_login(world["officer"])
    response = client.post(_url(world["scenario"]), {"charge_kg_tnt": "-5", "chart": "NCTC_CURRENT"})
    assert response.status_code == 400
    assert "must be more than 0 kg (-5 was given)" in response.content.decode()
    assert not BlastAnalysis.objects.exists()


def test_a_zone_wholly_inside_the_mandatory_ring_counts_all_its_people(client, world):
    client.force_login(world["officer"])
    response = client.post(_url(world["scenario"]), {
        "threat_category": "SUV_VAN", "chart": "NCTC_CURRENT", "crowd_slot": world["slot"].pk})
    assert response.status_code == 302
    page = client.get(_url(world["scenario"]))
    result = page.context["result"]
    # Centre: the site's centroid (the scenario has no location); mandatory 122 m > the square's half-diagonal.
    assert result.people_at_risk == pytest.approx(2000, rel=1e-6)
    assert result.proposed_consequence == 4
    small = [r for r in result.rings if r.radius_m < 20]
    assert small and all(r.people < 2000 for r in small)
    assert 'id="blast-data"' in page.content.decode()


def test_the_consequence_bands_follow_orders_of_magnitude():
    assert [exposure.proposed_consequence(n) for n in (0, 9, 10, 99, 100, 999, 1000, 9999, 10000, 10**6)] == [
        1, 1, 2, 2, 3, 3, 4, 4, 5, 5]


def test_people_are_spread_by_usable_area():
    from shapely import geometry as sg

    zones = [exposure.ZoneArea("a", sg.box(0, 0, 10, 10)), exposure.ZoneArea("b", sg.box(10, 0, 20, 10), 0.5)]
    spread = exposure.spread_people(300, zones)
    assert spread == {"a": pytest.approx(200), "b": pytest.approx(100)}
    # A disc covering zone a only (radius 4 round its centre): its area share of zone a's 200 people.
    inside = exposure.people_inside((5, 5), 4, zones, spread)
    assert inside == pytest.approx(200 * 3.14159 * 16 / 100, rel=1e-3)


def test_the_crowd_page_gives_density_and_level_of_service(client, world):
    world["slot"].peak_people = 30000
    world["slot"].typical_people = 100
    world["slot"].save()
    client.force_login(world["viewer"])
    response = client.get(reverse("engineering:crowd", args=[world["site"].pk]))
    assert response.status_code == 200
    row = response.context["rows"][0].zones[0]
    assert row.density == pytest.approx(30000 / world["zone"].area_m2, rel=1e-3)
    assert row.level_of_service == "E"  # about 0.63 m² per person: Fruin walkway E (0.46–0.93)


def test_closing_an_exit_raises_the_egress_time(client, world):
    north = factories.make_access_point(world["site"], width_m=6.0)
    factories.make_access_point(world["site"], name="South passage", kind="pedestrian", width_m=4.0)
    client.force_login(world["officer"])
    url = reverse("engineering:crowd", args=[world["site"].pk])
    before = client.get(url).context["rows"][0].egress.time_s
    after = client.get(url, {f"closed-{north.pk}": "1"}).context["rows"][0].egress.time_s
    assert after == pytest.approx(before * 10 / 4)
    assert client.get(url, {"target_min": "8"}).context["target_min"] == 8


def test_an_outsider_gets_404_on_the_crowd_page(client, world):
    client.force_login(factories.make_user(factories.make_org()))
    assert client.get(reverse("engineering:crowd", args=[world["site"].pk])).status_code == 404
