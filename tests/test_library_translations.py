"""Library texts in every interface language: the translation files, how they are merged, and
that every shipped text is translated into every language Stoa offers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.utils import translation

from stoa.library import loader, translations, yamlfile
from stoa.library.models import ReferenceObject
from stoa.library.presentation import local, term

OTHER_LANGUAGES = [code for code, _name in settings.LANGUAGES if code not in ("en", "fr")]
SHIPPED = loader.shipped_files()


def write_overlay(library: Path, lang: str, texts: list[dict[str, str]], **header: str) -> Path:
    path = translations.overlay_path(library, lang)
    path.parent.mkdir(parents=True, exist_ok=True)
    body = {"language": lang, "source": library.name, **header, "texts": texts}
    path.write_text(yaml.safe_dump(body, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def library_copy(tmp_path: Path) -> Path:
    source = loader.CONTENT_DIR / "threat-types.yaml"
    target = tmp_path / source.name
    shutil.copy(source, target)
    return target


def test_every_language_of_the_interface_has_its_translation_fields_in_the_schema():
    assert set(OTHER_LANGUAGES) <= set(translations.OVERLAY_LANGUAGES)


def test_a_translation_file_adds_its_language_beside_french(library_copy):
    write_overlay(library_copy, "nl", [{"en": "Firearms attack", "nl": "Aanval met vuurwapens"},
                                       {"en": "Firearms", "nl": "Vuurwapens"},
                                       {"en": "Knife", "nl": ""},  # still to translate
                                       {"en": "A text no longer in the file", "nl": "Oud"}])
    parsed = yamlfile.read(library_copy)
    assert parsed.messages == []
    firearms = next(o for o in parsed.model.objects if o.ref_id == "FIREARMS")
    assert firearms.translations.nl.name == "Aanval met vuurwapens"
    assert firearms.translations.nl.description is None  # untranslated: English is shown
    assert firearms.short_name.nl == "Vuurwapens"
    dumped = firearms.translations.model_dump(mode="json")
    assert dumped["nl"] == {"name": "Aanval met vuurwapens"} and "es" not in dumped


@pytest.mark.django_db
def test_new_translations_refresh_the_loaded_library_in_place(library_copy):
    first = loader.load_library(library_copy)
    assert first.status == "loaded" and first.library.version == 1
    assert loader.load_library(library_copy).status == "unchanged"
    write_overlay(library_copy, "es", [{"en": "Firearms attack", "es": "Ataque con armas de fuego"}])
    parsed = yamlfile.read(library_copy)
    assert parsed.sha256 == yamlfile.read(loader.CONTENT_DIR / "threat-types.yaml").sha256  # the library itself
    again = loader.load_library(library_copy)
    assert again.status == "translated" and again.library.version == 1 and again.updated == 10
    firearms = ReferenceObject.objects.get(urn="urn:stoa:threat-type:firearms")
    assert firearms.translations["es"] == {"name": "Ataque con armas de fuego"}
    assert firearms.translations["fr"]["name"] == "Attaque par arme à feu"
    assert loader.load_library(library_copy).status == "unchanged"


@pytest.mark.parametrize("texts, header, expected", [
    ([{"en": "Firearms attack"}], {}, "expected exactly 'en' and 'nl'"),
    ([{"en": "Firearms attack", "nl": "a"}, {"en": "Firearms attack", "nl": "b"}], {}, "appears twice"),
    ([], {"language": "es"}, "expected 'language: nl'"),
])
def test_a_malformed_translation_file_is_refused_with_where(library_copy, texts, header, expected):
    write_overlay(library_copy, "nl", texts, **header)
    messages = yamlfile.read(library_copy).messages
    assert messages and expected in messages[0] and "translations/nl/threat-types.yaml" in messages[0]


@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_text_is_translated(path, lang):
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    overlay = translations.read_overlay(path, lang)
    assert overlay is not None, f"no translations/{lang}/{path.name}: run library_translations --lang {lang}"
    assert overlay.messages == []
    found = translations.coverage(document, overlay)
    assert found.missing == [], f"{len(found.missing)} texts of {path.name} untranslated in {lang}"
    assert found.stale == []


@pytest.mark.django_db
@pytest.mark.parametrize("lang", OTHER_LANGUAGES)
def test_loaded_library_objects_speak_the_language(lang):
    loader.load_shipped()
    firearms = ReferenceObject.objects.get(urn="urn:stoa:threat-type:firearms")
    overlay = translations.read_overlay(loader.CONTENT_DIR / "threat-types.yaml", lang)
    with translation.override(lang):
        assert firearms.label("name") == overlay.texts["Firearms attack"]
        assert term(firearms.data["short_name"]) == overlay.texts["Firearms"]
        assert local({"name": "x", "translations": firearms.translations}) == overlay.texts["Firearms attack"]
