"""``stoa backup`` / ``stoa restore``: round trips compare every row and file; bad archives are refused."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

from stoa.accounts.models import Organisation
from stoa.backup.archive import FILE_CHECKSUM_LENGTH, MANIFEST, manifest_checksum, seal
from stoa.backup.scope import organisation_rows, unplaced_models
from stoa.cli import main
from stoa.sites.models import Attachment, Site, Zone
from tests import factories
from tests.backup_samples import canonical, client_for, make_world, stored_files


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def empty_installation() -> None:
    """What a new installation has after `migrate`: no rows, no stored files."""
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


def rewrite_manifest(source: Path, target: Path, **changes: Any) -> None:
    """Copy a backup with manifest fields changed and the manifest checksum made to match again."""
    with zipfile.ZipFile(source) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(members[MANIFEST]) | changes
    manifest["checksum"] = manifest_checksum(manifest)
    members[MANIFEST] = json.dumps(manifest).encode()
    with zipfile.ZipFile(target, "w") as archive:
        archive.comment = b"0" * FILE_CHECKSUM_LENGTH
        for name, data in members.items():
            archive.writestr(name, data)
    seal(target)


def test_every_model_is_placed_in_or_out_of_the_backup_scopes(db):
    assert unplaced_models() == []


@pytest.mark.django_db(transaction=True)
def test_an_installation_backup_restores_every_row_and_file_into_an_empty_installation(
        org, officer, other_org, tmp_path, capsys):
    make_world(org, officer, other_org)
    before, files = canonical(), stored_files()
    assert len(files) == 1 and {"sites.zone", "assessments.answer", "plans.plannedmeasure"} <= set(before)
    archive = tmp_path / "all.zip"
    assert main(["backup", str(archive)]) == 0
    assert "Backup of installation" in capsys.readouterr().out
    manifest = json.loads(zipfile.ZipFile(archive).read(MANIFEST))
    assert (manifest["format"], manifest["format_version"], manifest["scope"]) == (
        "stoa-backup", 1, {"kind": "installation"})
    assert {e["label"]: e["count"] for e in manifest["models"]}["sites.site"] == 2
    assert "0001_initial" in manifest["migrations"]["sites"]

    empty_installation()
    assert not Organisation.objects.exists() and stored_files() == {}
    assert main(["restore", str(archive)]) == 0
    assert "Restored installation" in capsys.readouterr().out
    assert canonical() == before
    assert stored_files() == files
    assert main(["restore", str(archive)]) == 1  # now the installation is not empty
    assert "not empty" in capsys.readouterr().err


@pytest.mark.django_db(transaction=True)
def test_an_organisation_backup_holds_its_rows_and_what_they_refer_to(org, officer, other_org, tmp_path):
    make_world(org, officer, other_org)
    expected = canonical(only=organisation_rows(org))
    files = stored_files()
    assert "Elsewhere" not in json.dumps(expected) and "officer" in json.dumps(expected["auth.user"])
    archive = tmp_path / "org.zip"
    assert main(["backup", str(archive), "--organisation", org.slug]) == 0
    empty_installation()
    assert main(["restore", str(archive)]) == 0
    assert canonical() == expected
    assert stored_files() == files


def test_force_replaces_the_organisations_data_and_leaves_the_others(org, officer, other_org, tmp_path, capsys):
    world = make_world(org, officer, other_org)
    archive = tmp_path / "org.zip"
    assert main(["backup", str(archive), "--organisation", org.slug]) == 0
    before, files = canonical(), stored_files()
    api = client_for(officer)
    assert api.patch(f"/api/v1/sites/{world['site']}/", {"name": "Renamed"}, format="json").status_code == 200
    Zone.objects.filter(site_id=world["site"]).delete()
    factories.make_site(other_org, name="Made after the backup")
    capsys.readouterr()
    assert main(["restore", str(archive)]) == 1
    assert "not empty" in capsys.readouterr().err and Site.objects.get(pk=world["site"]).name == "Renamed"
    assert main(["restore", str(archive), "--force"]) == 0
    after = canonical()
    added = {label: set(rows) - set(before.get(label, [])) for label, rows in after.items()}
    missing = {label: set(rows) - set(after.get(label, [])) for label, rows in before.items()}
    assert not any(missing.values())
    # Only the other organisation's later site (and its audit entry) remain beyond the backup's state.
    added_rows = [row for rows in added.values() for row in rows]
    assert len(added_rows) == 2 and all("Made after the backup" in row for row in added_rows)
    assert stored_files() == files


@pytest.mark.parametrize("damage", ["flip", "truncate", "not_a_zip", "version", "newer_schema"])
def test_a_bad_archive_is_refused_and_nothing_is_written(org, officer, other_org, tmp_path, capsys, damage):
    make_world(org, officer, other_org)
    good = tmp_path / "good.zip"
    assert main(["backup", str(good), "--organisation", org.slug]) == 0
    bad = tmp_path / "bad.zip"
    data = good.read_bytes()
    if damage == "flip":
        middle = len(data) // 2
        bad.write_bytes(data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1:])
    elif damage == "truncate":
        bad.write_bytes(data[: len(data) - 200])
    elif damage == "not_a_zip":
        bad.write_text("name,category\nMarket,SQUARE\n")
    elif damage == "version":
        rewrite_manifest(good, bad, format_version=2)
    else:
        manifest = json.loads(zipfile.ZipFile(good).read(MANIFEST))
        rewrite_manifest(good, bad, migrations=manifest["migrations"] | {"sites": ["9999_from_the_future"]})
    empty_installation_rows = canonical()
    Attachment.objects.all().delete()  # the target misses the file: a restore would have to write it
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    before = canonical()
    capsys.readouterr()
    assert main(["restore", str(bad), "--force"]) == 1
    err = capsys.readouterr().err
    assert {"flip": "damaged", "truncate": "damaged", "not_a_zip": "not a Stoa backup",
            "version": "format version 2 is not supported", "newer_schema": "newer"}[damage] in err
    assert canonical() == before and stored_files() == {}
    assert empty_installation_rows != before


def test_a_failing_restore_rolls_back_and_removes_the_files_it_wrote(org, officer, other_org, tmp_path, capsys):
    make_world(org, officer, other_org)
    archive = tmp_path / "org.zip"
    assert main(["backup", str(archive), "--organisation", org.slug]) == 0
    Organisation.objects.filter(pk=org.pk).update(slug="renamed")
    factories.make_org(name="Squatter", slug=org.slug)  # the archive's short name is taken by another
    shutil.rmtree(settings.MEDIA_ROOT)
    before = canonical()
    capsys.readouterr()
    assert main(["restore", str(archive), "--force"]) == 1
    assert "nothing restored" in capsys.readouterr().err
    assert canonical() == before and stored_files() == {}


def test_backing_up_an_unknown_organisation_is_refused(db, tmp_path, capsys):
    assert main(["backup", str(tmp_path / "x.zip"), "--organisation", "nowhere"]) == 1
    assert "no organisation" in capsys.readouterr().err and not (tmp_path / "x.zip").exists()
