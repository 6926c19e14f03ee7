"""Library pages and the read-only library API: anyone logged in reads, in their language."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.urls import reverse

from stoa.library import loader
from stoa.library.models import Library, ReferenceObject
from tests import factories
from tests.conftest import ROLES

pytestmark = pytest.mark.django_db
PSOI = "urn:stoa:library:psoi-categories"
MATRIX = "urn:stoa:library:risk-matrices"


@pytest.fixture
def loaded(db):
    return loader.load_shipped()


def detail_url(urn: str) -> str:
    return reverse("library:detail", kwargs={"urn": urn})


def in_french(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"


# --- pages --------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", [reverse("library:list"), detail_url(PSOI), reverse("library:colours")])
def test_pages_require_login(client, loaded, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reads_the_libraries(client, loaded, org, role):
    client.force_login(factories.make_user(org, role))
    page = client.get(reverse("library:list"))
    assert page.status_code == 200
    assert "Categories of public spaces of interest" in page.text
    assert client.get(detail_url(PSOI)).status_code == 200


def test_a_member_of_another_organisation_reads_the_same_libraries(client, loaded, outsider):
    client.force_login(outsider)
    assert "urn:stoa:library:threat-types" in client.get(reverse("library:list")).text


def test_the_list_shows_version_and_item_count(client, loaded, officer):
    client.force_login(officer)
    page = client.get(reverse("library:list")).text
    row = re.search(r'<a href="/library/urn:stoa:library:threat-types/">.*?</tr>', page, re.S)
    assert row is not None
    assert re.findall(r'<td class="text-end">(\d+)</td>', row.group(0)) == ["1", "10"]


def test_the_list_tells_what_to_do_when_nothing_is_loaded(client, officer):
    client.force_login(officer)
    page = client.get(reverse("library:list")).text
    assert "No library is loaded yet." in page
    assert "stoa library load" in page


def test_an_unknown_library_is_not_found(client, loaded, officer):
    client.force_login(officer)
    assert client.get(detail_url("urn:stoa:library:nothing")).status_code == 404


def test_detail_shows_objects_with_sources_in_english(client, loaded, officer):
    client.force_login(officer)
    page = client.get(detail_url(PSOI)).text
    assert "<h1 class=\"h3\">Categories of public spaces of interest</h1>" in page
    assert "Transport hub" in page and "railway station" in page
    assert 'href="https://securipedia.eu/index.php?oldid=14265&amp;title=Public_space"' in page
    square = ReferenceObject.objects.get(urn="urn:stoa:psoi-category:square")
    assert f'class="legend-swatch lib-colour-{square.pk}"' in page


def test_detail_shows_objects_in_french(client, loaded, officer):
    client.force_login(officer)
    in_french(client)
    page = client.get(detail_url(PSOI)).text
    assert "Catégories d&#x27;espaces publics d&#x27;intérêt" in page
    assert "Pôle de transport" in page and "gare ferroviaire" in page
    assert "Transport hub" not in page
    threats = client.get(detail_url("urn:stoa:library:threat-types")).text
    assert "Attaque au véhicule bélier" in threats


def test_the_risk_matrix_is_a_table_with_text_in_every_cell(client, loaded, officer):
    client.force_login(officer)
    page = client.get(detail_url(MATRIX)).text
    table = re.search(r'<table class="table table-bordered[^"]*risk-matrix">(.*?)</table>', page, re.S).group(1)
    assert "<caption>" in table
    assert '<th scope="colgroup" colspan="5">Consequence</th>' in table
    assert re.findall(r'<th scope="row" class="text-start">(\d) · ', table) == ["5", "4", "3", "2", "1"]
    cells = re.findall(r'<td class="lib-level-\d+-(\w+)">([^<]+) <span class="text-nowrap">\((\d+)\)</span></td>',
                       table)
    assert len(cells) == 25
    labels = {"low": "Low", "medium": "Medium", "high": "High", "very_high": "Very high"}
    for level, label, _score in cells:
        assert label == labels[level]
    assert cells[0] == ("medium", "Medium", "5")  # top-left: likelihood 5, consequence 1
    assert cells[4] == ("very_high", "Very high", "25")
    assert cells[-1] == ("medium", "Medium", "5")  # likelihood 1, consequence 5


def test_the_risk_matrix_reads_in_french(client, loaded, officer):
    client.force_login(officer)
    in_french(client)
    page = client.get(detail_url(MATRIX)).text
    assert "Très élevé" in page and "Très probable" in page and "Catastrophiques" in page


def test_pages_use_no_inline_style_and_link_the_colour_sheet(client, loaded, officer):
    client.force_login(officer)
    for urn in (PSOI, MATRIX):
        response = client.get(detail_url(urn))
        assert "style=" not in response.text and "<style" not in response.text
        assert "unsafe-inline" not in response["Content-Security-Policy"]
        assert re.search(r'<link rel="stylesheet" href="/library/colours.css\?v=\d+">', response.text)


def test_the_colour_sheet_gives_every_colour_readable_text(client, loaded, officer):
    client.force_login(officer)
    response = client.get(reverse("library:colours"))
    assert response["Content-Type"].startswith("text/css")
    css = response.text
    square = ReferenceObject.objects.get(urn="urn:stoa:psoi-category:square")
    assert f".lib-colour-{square.pk} {{ background-color: #b8321a; color: #ffffff;" in css
    matrix = ReferenceObject.objects.get(kind="risk_matrix")
    assert f".lib-level-{matrix.pk}-medium {{ background-color: #ffd54f; color: #000000;" in css
    assert f".lib-level-{matrix.pk}-very_high {{ background-color: #b71c1c; color: #ffffff;" in css


def test_the_colour_sheet_skips_a_colour_that_is_not_a_colour(client, loaded, officer):
    square = ReferenceObject.objects.get(urn="urn:stoa:psoi-category:square")
    square.data = {**square.data, "colour": "red; } body { display: none"}
    square.save()
    client.force_login(officer)
    assert f"lib-colour-{square.pk}" not in client.get(reverse("library:colours")).text


# --- read-only API ------------------------------------------------------------------------------

def test_the_api_refuses_anonymous_callers(client, loaded):
    assert client.get("/api/v1/libraries/").status_code in (401, 403)
    assert client.get("/api/v1/reference-objects/").status_code in (401, 403)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("own_org", [True, False], ids=["own-org", "other-org"])
def test_every_role_of_any_organisation_reads_the_api_with_a_token(client, loaded, org, other_org, role, own_org):
    user = factories.make_user(org if own_org else other_org, role)
    auth = {"HTTP_AUTHORIZATION": f"Token {factories.make_token(user)}"}
    libraries = client.get("/api/v1/libraries/", **auth)
    assert libraries.status_code == 200
    assert libraries.json()["count"] == len(loader.shipped_files())
    categories = client.get("/api/v1/reference-objects/?kind=psoi_category", **auth)
    assert categories.status_code == 200
    results = categories.json()["results"]
    assert {r["ref_id"] for r in results} == {"TRANSPORT_HUB", "SQUARE", "SHOPPING", "NIGHTLIFE", "CULTURAL",
                                             "BUSINESS", "WORSHIP", "INSTITUTIONAL"}
    assert all(r["kind"] == "psoi_category" and r["library"] == PSOI for r in results)
    assert all(r["data"]["colour"].startswith("#") and r["translations"]["fr"]["name"] for r in results)


def test_the_api_lists_libraries_with_their_object_counts(client, loaded, officer):
    client.force_login(officer)
    body = client.get("/api/v1/libraries/").json()
    counts = {lib["urn"]: lib["object_count"] for lib in body["results"]}
    assert counts[PSOI] == 8 and counts["urn:stoa:library:threat-types"] == 10
    one = Library.objects.get(urn=PSOI)
    assert client.get(f"/api/v1/libraries/{one.pk}/").json()["version"] == 1


def test_the_api_filters_by_library_and_refuses_an_unknown_kind(client, loaded, officer):
    client.force_login(officer)
    phases = client.get("/api/v1/reference-objects/?library=urn:stoa:library:attack-phases").json()
    assert phases["results"][0]["ref_id"] == "INITIAL_TARGET_IDENTIFICATION"
    assert phases["count"] == 5
    assert client.get("/api/v1/reference-objects/?kind=nonsense").status_code == 400


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_api_cannot_change_libraries(client, loaded, org, method):
    client.force_login(factories.make_user(org, "admin"))
    square = ReferenceObject.objects.get(urn="urn:stoa:psoi-category:square")
    url = "/api/v1/reference-objects/" + ("" if method == "post" else f"{square.pk}/")
    response = getattr(client, method)(url, data={"name": "x"}, content_type="application/json")
    assert response.status_code == 405
    square.refresh_from_db()
    assert square.name == "Square"
