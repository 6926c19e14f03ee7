"""French interface: a complete catalogue, the main pages in French, and the language switch.

The catalogue is ``stoa/locale/fr/LC_MESSAGES/django.po``; ``make messages`` compiles it (the
Makefile does so before the tests). Pages are checked two ways: a known French phrase is shown,
and no text of the page is still an English catalogue string that has a different French form.
"""

from __future__ import annotations

import ast
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from stoa.core import geometry
from stoa.sites.formfields import _GEOMETRY_MESSAGES, geometry_message
from tests import factories
from tests.assessment_samples import make_assessment
from tests.test_pages_sites import CROSSING, upload

pytestmark = pytest.mark.django_db

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES" / "django.po"


# --- the catalogue ------------------------------------------------------------------------------

def read_po(path: Path) -> list[dict[str, Any]]:
    """The entries of a .po file: flags, msgid, msgid_plural and msgstr (a list, one per form)."""
    entries: list[dict[str, Any]] = []
    entry: dict[str, Any] = {}
    key: tuple[str, int] | None = None

    def finish() -> None:
        if "msgid" in entry:
            entries.append(dict(entry))
        entry.clear()

    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line:
            finish()
            key = None
        elif line.startswith("#,"):
            if "msgid" in entry:
                finish()
            entry.setdefault("flags", set()).update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#"):
            if "msgid" in entry:
                finish()
        else:
            match = re.match(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$", line)
            if match:
                name, index, text = match.group(1), int(match.group(2) or 0), match.group(3)
                key = (name, index)
            else:
                assert key is not None and line.startswith('"'), f"unexpected line in {path}: {line}"
                name, index, text = key[0], key[1], line
            value = ast.literal_eval(text)
            if name == "msgstr":
                forms = entry.setdefault("msgstr", [])
                forms.extend([""] * (index + 1 - len(forms)))
                forms[index] += value
            else:
                entry[name] = entry.get(name, "") + value if match is None else value
    finish()
    return entries


@pytest.fixture(scope="module")
def catalogue() -> list[dict[str, Any]]:
    return [e for e in read_po(CATALOGUE) if e["msgid"] and not e.get("obsolete")]


def test_the_french_catalogue_is_complete_and_nothing_is_fuzzy(catalogue):
    assert len(catalogue) > 400
    fuzzy = [e["msgid"] for e in catalogue if "fuzzy" in e.get("flags", set())]
    untranslated = [e["msgid"] for e in catalogue if not all(form.strip() for form in e.get("msgstr", [""]))]
    plurals_short = [e["msgid"] for e in catalogue if "msgid_plural" in e and len(e["msgstr"]) != 2]
    assert fuzzy == [] and untranslated == [] and plurals_short == []


def test_placeholders_are_kept_in_every_translation(catalogue):
    named = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")
    wrong = []
    for e in catalogue:
        wanted = {m.group(0) for m in named.finditer(e["msgid"] + e.get("msgid_plural", ""))}
        for form in e["msgstr"]:
            if {m.group(0) for m in named.finditer(form)} != wanted:
                wrong.append((e["msgid"], form))
    assert wrong == []


def test_the_compiled_catalogue_is_up_to_date():
    compiled = CATALOGUE.with_suffix(".mo")
    assert compiled.exists() and compiled.stat().st_mtime >= CATALOGUE.stat().st_mtime, (
        "compile the French catalogue: make messages")


def test_the_chosen_terms_are_used():
    with translation.override("fr"):
        assert translation.gettext("Security officer") == "Responsable de la sécurité"
        assert translation.gettext("Police liaison") == "Référent police"
        assert translation.gettext("Assessor") == "Évaluateur"
        assert translation.gettext("Viewer") == "Lecteur"
        assert translation.gettext("Public spaces of interest") == "Espaces publics d'intérêt (EPI)"
        assert translation.gettext("public space of interest") == "espace public d'intérêt"


# --- pages in French ----------------------------------------------------------------------------

class _Texts(HTMLParser):
    """Visible text and the attributes read aloud or shown on hover, whitespace normalised."""

    ATTRIBUTES = {"aria-label", "title", "placeholder", "alt", "hx-confirm"}

    def __init__(self) -> None:
        super().__init__()
        self.found: set[str] = set()
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._skip += 1
        for name, value in attrs:
            if name in self.ATTRIBUTES and value:
                self.found.add(" ".join(value.split()))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        text = " ".join(data.split())
        if text and not self._skip:
            self.found.add(text)


def texts(html: str) -> set[str]:
    parser = _Texts()
    parser.feed(html)
    return parser.found


@pytest.fixture(scope="module")
def english_only(catalogue) -> set[str]:
    """Catalogue strings whose French differs: none of them may appear on a French page, except
    the language names, which the switch shows each in its own language ("English", "Français")."""
    own_names = {translation.get_language_info(code)["name_local"] for code, _name in settings.LANGUAGES}
    return {e["msgid"] for e in catalogue if "msgid_plural" not in e and e["msgstr"][0] != e["msgid"]} - own_names


@pytest.fixture
def admin(org):
    return factories.make_user(org, "admin", username="chef")


@pytest.fixture
def full_site(org, other_org):
    site = factories.make_site(org, name="Market Square", description="Weekly market.")
    factories.make_zone(site, name="Stalls")
    factories.make_access_point(site, name="Rue Haute")
    factories.make_crowd_slot(site)
    factories.make_event(site, name="Winter fair")
    factories.share(site, other_org)
    return site


def pages(site: Any) -> dict[str, tuple[str, str]]:
    """Main pages with a French phrase each must show."""
    return {
        "home": (reverse("home"), "Vue d'ensemble"),
        "sites list": (reverse("sites:list"), "Espaces publics d'intérêt (EPI)"),
        "site detail": (reverse("sites:detail", args=[site.pk]), "Profil de fréquentation"),
        "site create": (reverse("sites:create"), "Dessiner le périmètre"),
        "import": (reverse("sites:import"), "Importer et exporter des espaces publics"),
        "libraries": (reverse("library:list"), "Bibliothèques de contenu"),
        "members": (reverse("members"), "Ajouter un membre"),
        "audit": (reverse("audit:list"), "Journal d'audit"),
    }


PAGE_NAMES = ["home", "sites list", "site detail", "site create", "import", "libraries", "members", "audit"]


@pytest.mark.parametrize("name", PAGE_NAMES)
@pytest.mark.parametrize("how", ["cookie", "accept-language"])
def test_main_pages_render_in_french(client, admin, full_site, english_only, name, how):
    url, phrase = pages(full_site)[name]
    client.force_login(admin)
    if how == "cookie":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
        response = client.get(url)
    else:
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="fr-BE,fr;q=0.9,en;q=0.5")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert phrase in html
    assert sorted(texts(html) & english_only) == []


def test_the_assessment_list_renders_in_french(client, admin, full_site, english_only):
    make_assessment(full_site)
    client.force_login(admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get(reverse("assessments:list"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Évaluations de la vulnérabilité" in html and "Brouillon" in html and "Statut" in html
    assert sorted(texts(html) & english_only) == []


def test_english_stays_the_default(client, admin, full_site):
    client.force_login(admin)
    html = client.get(reverse("sites:list")).content.decode()
    assert '<html lang="en">' in html and "Public spaces of interest" in html


def test_site_detail_explains_the_priority_and_labels_the_map_in_french(client, admin, full_site):
    client.force_login(admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get(reverse("sites:detail", args=[full_site.pk]))
    html = response.content.decode()
    assert "fréquentation de 6000 personnes en pointe → niveau 3" in html
    assert "1 événement par an → niveau 1" in html
    labels = response.context["map_config"]["labels"]
    assert labels["legend"] == "Légende" and labels["zoom_in"] == "Zoom avant"
    access_kinds = json.loads(re.search(r'<script id="access-kinds" type="application/json">(.*?)</script>',
                                        html, re.S).group(1))
    assert {"kind": "vehicle", "label": "Véhicules"} in access_kinds


def test_the_audit_trail_names_changed_fields_in_french(client, admin, full_site):
    client.force_login(admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    found = texts(client.get(reverse("audit:list")).content.decode())
    assert {"Nom", "Périmètre", "Longitude", "Créé", "Espace public d'intérêt"} <= found
    assert not found & {"Created at", "Lon", "Site", "Name", "Boundary"}


def test_import_problems_are_reported_in_french(client, admin):
    client.force_login(admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.post(reverse("sites:import"), {"file": upload("vide.geojson", b"  \n")})
    html = response.content.decode()
    assert response.status_code == 400
    assert "Le fichier a été refusé à cause de 1 problème." in html
    assert "le fichier est vide" in html and "<td>fichier</td>" in html


def test_a_crossing_outline_is_refused_in_french(client, admin):
    client.force_login(admin)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.post(reverse("sites:create"), {
        "name": "Gare", "category": factories.category().pk, "ownership": "public", "symbolic_value": "1",
        "boundary": json.dumps(CROSSING),
    })
    assert "Le contour se croise lui-même." in response.content.decode()


def test_a_hidden_page_answers_in_french(client, org, outsider):
    hidden = factories.make_site(org, name="Not shared")
    client.force_login(outsider)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get(reverse("sites:detail", args=[hidden.pk]))
    assert response.status_code == 404 and "Page introuvable" in response.content.decode()


# --- geometry faults found by stoa.core, said in French -----------------------------------------

FAULTS = {
    "not_geometry": ({"type": "Polygon"}, "Polygon", None),
    "wrong_type": ({"type": "Point", "coordinates": [4.35, 50.85]}, "Polygon", None),
    "malformed": ({"type": "Polygon", "coordinates": [["x"]]}, "Polygon", None),
    "empty": ({"type": "Polygon", "coordinates": []}, "Polygon", None),
    "out_of_range": ({"type": "Point", "coordinates": [500, 500]}, "Point", None),
    "swapped": ({"type": "Point", "coordinates": [50.85, 4.35]}, "Point", geometry.Reference(lon=4.35, lat=50.85)),
    "self_intersection": (CROSSING, "Polygon", None),
    "too_far": ({"type": "Point", "coordinates": [2.35, 48.85]}, "Point", geometry.Reference(lon=4.35, lat=50.85)),
}


@pytest.mark.parametrize("code", sorted(FAULTS))
def test_each_geometry_fault_has_its_own_french_message(code):
    value, kind, reference = FAULTS[code]
    with pytest.raises(geometry.GeometryError) as caught:
        geometry.parse(value, kind, reference=reference)
    assert caught.value.code == code and code in _GEOMETRY_MESSAGES
    # Both sides in French: the language active outside the block is whatever an earlier test left.
    with translation.override("fr"):
        message = geometry_message(caught.value)
        expected = str(_GEOMETRY_MESSAGES[code]) % caught.value.params
    with translation.override("en"):
        english = str(_GEOMETRY_MESSAGES[code]) % caught.value.params
    assert message == expected
    assert message != english  # really translated
    assert "inutilisable" not in message  # not the general fallback


# --- the language switch ------------------------------------------------------------------------

class _SwitchForm(HTMLParser):
    """The action of the form holding the language select, and the options offered."""

    def __init__(self) -> None:
        super().__init__()
        self.action: str | None = None
        self.options: list[str] = []
        self._form_action: str | None = None
        self._in_select = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            self._form_action = attributes.get("action")
        elif tag == "select" and attributes.get("name") == "language":
            self.action = self._form_action
            self._in_select = True
        elif tag == "option" and self._in_select:
            self.options.append(attributes.get("value") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._in_select = False


@pytest.mark.parametrize("logged_in", [True, False])
def test_the_language_switch_posts_to_set_language_and_the_next_page_is_french(client, admin, logged_in):
    if logged_in:
        client.force_login(admin)
    start = reverse("sites:list") if logged_in else reverse("login")
    form = _SwitchForm()
    form.feed(client.get(start).content.decode())
    assert form.action == reverse("set_language") and form.options == ["en", "fr", "nl", "es", "lt", "el", "ro"]

    response = client.post(form.action, {"language": "fr", "next": start})
    assert response.status_code == 302 and response["Location"] == start
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "fr"
    page = client.get(start).content.decode()
    assert '<html lang="fr">' in page
    assert ("Espaces publics d'intérêt (EPI)" if logged_in else "Se connecter à Stoa") in page

    client.post(form.action, {"language": "en", "next": start})
    assert '<html lang="en">' in client.get(start).content.decode()
