"""``stoa library list|validate|load|remove`` as the operator runs them."""

from __future__ import annotations

import pytest

from stoa.cli import main
from stoa.library import loader
from stoa.library.models import Library, ReferenceObject
from tests import factories
from tests.library_files import snapshot, variant

pytestmark = pytest.mark.django_db


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["library", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_list_says_how_to_start_when_nothing_is_loaded(capsys):
    code, out, _ = run(capsys, "list")
    assert code == 0
    assert "no libraries loaded; run: stoa library load" in out


def test_load_without_files_loads_every_shipped_library_then_reports_unchanged(capsys):
    code, out, _ = run(capsys, "load")
    assert code == 0
    assert "threat-types.yaml: urn:stoa:library:threat-types v1: loaded (10 added, 0 updated, 0 removed)" in out
    assert out.count(": loaded (") == len(loader.shipped_files())
    assert Library.objects.count() == len(loader.shipped_files())
    code, out, _ = run(capsys, "load")
    assert code == 0
    assert out.count(": unchanged") == len(loader.shipped_files())


def test_load_reports_an_upgrade(capsys, tmp_path):
    run(capsys, "load", str(loader.CONTENT_DIR / "attack-phases.yaml"))
    newer = variant(tmp_path, "attack-phases.yaml", lambda d: d.update(version=2))
    code, out, _ = run(capsys, "load", str(newer))
    assert code == 0
    assert "attack-phases.yaml: urn:stoa:library:attack-phases: upgraded v1 → v2 (0 added, 5 updated, 0 removed)" \
        in out


def test_load_refuses_a_downgrade_unless_asked(capsys, tmp_path):
    run(capsys, "load", str(variant(tmp_path, "attack-phases.yaml", lambda d: d.update(version=2), "v2.yaml")))
    older = str(loader.CONTENT_DIR / "attack-phases.yaml")
    code, _, err = run(capsys, "load", older)
    assert code == 1
    assert "is older than the loaded version 2; refusing to downgrade" in err
    code, out, _ = run(capsys, "load", "--allow-downgrade", older)
    assert code == 0 and "downgraded v2 → v1" in out


def test_list_shows_version_count_and_use(capsys, org):
    loader.load_shipped()
    square = ReferenceObject.objects.get(urn="urn:stoa:psoi-category:square")
    factories.make_site(org, category=square)
    code, out, _ = run(capsys, "list")
    assert code == 0
    lines = {line.split()[0]: line.split() for line in out.splitlines()[1:]}
    assert lines["urn:stoa:library:psoi-categories"][1:] == ["1", "8", "yes"]
    assert lines["urn:stoa:library:threat-types"][1:] == ["1", "10", "no"]


def test_validate_accepts_good_files(capsys):
    files = [str(p) for p in loader.shipped_files()]
    code, out, _ = run(capsys, "validate", *files)
    assert code == 0
    assert "risk-matrix.yaml: valid (urn:stoa:library:risk-matrices v1, 1 objects)" in out
    assert Library.objects.count() == 0  # validating never loads


def test_validate_prints_every_problem_and_fails(capsys, tmp_path):
    bad = variant(tmp_path, "threat-types.yaml", lambda d: d["objects"][3]["translations"]["fr"].pop("name"))
    broken = tmp_path / "broken.yaml"
    broken.write_text("urn: [unclosed\n", encoding="utf-8")
    code, _, err = run(capsys, "validate", str(bad), str(broken))
    assert code == 1
    assert "threat-types.yaml: objects[3] (urn:stoa:threat-type:ied): translations.fr.name: field required" in err
    assert "broken.yaml: YAML syntax error at line 2" in err
    assert "stoa library: error: 2 problem(s) found" in err


def test_load_with_a_bad_file_writes_nothing(capsys, tmp_path):
    loader.load_library(loader.CONTENT_DIR / "attack-phases.yaml")
    before = snapshot()
    good = variant(tmp_path, "measure-uses.yaml")
    upgrade = variant(tmp_path, "attack-phases.yaml", lambda d: d.update(version=2))
    bad = variant(tmp_path, "risk-matrix.yaml", lambda d: d["objects"][0]["grid"][0].pop())
    code, out, err = run(capsys, "load", str(good), str(upgrade), str(bad))
    assert code == 1
    assert "grid[0] has 4 cells but the consequence scale has 5 levels" in err
    assert "nothing was loaded" in err
    assert out == ""
    assert snapshot() == before


def test_load_fails_whole_when_a_later_file_is_refused_by_the_database(capsys, tmp_path):
    loader.load_library(loader.CONTENT_DIR / "threat-types.yaml")
    before = snapshot()
    good = variant(tmp_path, "measure-uses.yaml")
    thief = variant(tmp_path, "threat-types.yaml", lambda d: d.update(urn="urn:stoa:library:other"), "other.yaml")
    code, _, err = run(capsys, "load", str(good), str(thief))
    assert code == 1
    assert "already defined by the library urn:stoa:library:threat-types" in err
    assert snapshot() == before


def test_remove_refuses_a_library_in_use_and_names_the_users(capsys, org):
    loader.load_shipped()
    square = ReferenceObject.objects.get(urn="urn:stoa:psoi-category:square")
    factories.make_site(org, name="Market Square", category=square)
    code, _, err = run(capsys, "remove", "urn:stoa:library:psoi-categories")
    assert code == 1
    assert "1 public space of interest uses urn:stoa:psoi-category:square (Market Square)" in err
    assert "nothing was removed" in err
    assert Library.objects.filter(urn="urn:stoa:library:psoi-categories").exists()


def test_remove_deletes_an_unused_library(capsys):
    loader.load_shipped()
    code, out, _ = run(capsys, "remove", "urn:stoa:library:attack-phases")
    assert code == 0
    assert "removed urn:stoa:library:attack-phases and its 5 objects" in out
    assert not ReferenceObject.objects.filter(kind="attack_phase").exists()


def test_remove_of_an_unknown_library_fails(capsys):
    code, _, err = run(capsys, "remove", "urn:stoa:library:none")
    assert code == 1
    assert "no library urn:stoa:library:none is loaded" in err
