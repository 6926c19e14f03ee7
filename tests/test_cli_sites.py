"""``stoa sites import|export|list``: the operator's commands, on the same services as the API."""

from __future__ import annotations

import json
from typing import Any

import pytest
from auditlog.models import LogEntry

from stoa.cli import main
from stoa.sites.models import Site
from tests import factories
from tests.site_samples import SQUARE, make_categories, square_at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _categories(db: Any) -> None:
    make_categories()


def geojson_file(tmp_path: Any, *names: str) -> Any:
    path = tmp_path / "sites.geojson"
    path.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": square_at(n * 0.01), "properties": {"name": name, "category": "SQUARE"}}
        for n, name in enumerate(names)]}), encoding="utf-8")
    return path


def test_import_prints_how_many_sites_were_created(org, tmp_path, capsys):
    assert main(["sites", "import", str(geojson_file(tmp_path, "Market Square", "Station")), "--org", org.slug]) == 0
    assert "imported 2 site(s) into valmont-test" in capsys.readouterr().out
    assert sorted(Site.objects.filter(organisation=org).values_list("name", flat=True)) == ["Market Square", "Station"]


def test_import_records_the_named_user_as_author(org, officer, tmp_path):
    assert main(["sites", "import", str(geojson_file(tmp_path, "A")), "--org", org.slug, "--user", "officer"]) == 0
    entry = LogEntry.objects.get(object_pk=str(Site.objects.get().pk), action=LogEntry.Action.CREATE)
    assert entry.actor == officer


def test_import_refuses_a_user_from_another_organisation(org, outsider, tmp_path, capsys):
    assert main(["sites", "import", str(geojson_file(tmp_path, "A")), "--org", org.slug, "--user", "outsider"]) == 1
    assert "not a member" in capsys.readouterr().err
    assert not Site.objects.exists()


def test_a_refused_import_prints_every_problem_and_exits_1(org, tmp_path, capsys):
    path = tmp_path / "sites.csv"
    path.write_text("name,category,symbolic_value\n,SQUARE,1\nStation,PARKING,9\n", encoding="utf-8")
    assert main(["sites", "import", str(path), "--org", org.slug]) == 1
    err = capsys.readouterr().err
    assert "nothing imported; 3 problem(s)" in err
    assert "row 2, name:" in err and "row 3, category:" in err and "row 3, symbolic_value:" in err
    assert not Site.objects.exists()


def test_import_into_an_unknown_organisation_or_from_a_missing_file(org, tmp_path, capsys):
    assert main(["sites", "import", str(geojson_file(tmp_path, "A")), "--org", "nowhere"]) == 1
    assert "no organisation" in capsys.readouterr().err
    assert main(["sites", "import", str(tmp_path / "missing.csv"), "--org", org.slug]) == 1
    assert "cannot read" in capsys.readouterr().err


def test_export_geojson_to_a_file_holds_only_the_organisations_sites(org, other_org, tmp_path, capsys):
    factories.make_site(org, name="Market Square")
    factories.make_site(other_org, name="Elsewhere")
    target = tmp_path / "out.geojson"
    assert main(["sites", "export", "--org", org.slug, "--format", "geojson", "-o", str(target)]) == 0
    data = json.loads(target.read_text(encoding="utf-8"))
    assert [f["properties"]["name"] for f in data["features"]] == ["Market Square"]
    assert "wrote 1 site(s)" in capsys.readouterr().err


def test_export_csv_to_standard_output_reads_back_in(org, other_org, tmp_path, capsys):
    factories.make_site(org, name="Market Square", boundary=SQUARE)
    assert main(["sites", "export", "--org", org.slug, "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("id,organisation,name") and "Market Square" in out
    path = tmp_path / "copy.csv"
    path.write_text(out, encoding="utf-8", newline="")
    assert main(["sites", "import", str(path), "--org", other_org.slug]) == 0
    assert Site.objects.get(organisation=other_org).boundary == SQUARE


def test_list_shows_the_sites_or_says_there_are_none(org, capsys):
    assert main(["sites", "list", "--org", org.slug]) == 0
    assert "no sites yet" in capsys.readouterr().out
    site = factories.make_site(org, name="Market Square")
    assert main(["sites", "list", "--org", org.slug]) == 0
    out = capsys.readouterr().out
    assert "Market Square" in out and "SQUARE" in out and str(site.pk) in out
