"""Every interface language beside English: complete catalogues, pages in the language, numbers
and dates in the language's own format, and PDFs that draw every letter of its script.

French has its own, deeper checks in test_i18n.py; these run for every language in
``settings.LANGUAGES``, so a language is offered only once all of this holds for it.
"""

from __future__ import annotations

import datetime
import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import formats, translation
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from stoa.reports.services import request_report
from tests import factories
from tests.case_samples import make_finished_plan
from tests.test_i18n import read_po

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != "en"]
LOCALE = Path(settings.BASE_DIR) / "locale"
NAMED = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


@pytest.fixture(autouse=True)
def _back_to_english():
    """A request with a language cookie leaves that language active in the thread: undo it."""
    yield
    translation.deactivate()


def catalogue(lang: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    entries = read_po(LOCALE / lang / "LC_MESSAGES" / "django.po")
    header = next(e for e in entries if e["msgid"] == "")
    return [e for e in entries if e["msgid"] and not e.get("obsolete")], header


def test_seven_languages_are_offered():
    assert [code for code, _name in settings.LANGUAGES] == ["en", "fr", "nl", "es", "lt", "el", "ro"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_catalogue_is_complete_nothing_fuzzy_placeholders_kept(lang):
    entries, header = catalogue(lang)
    english = catalogue("fr")[0]
    assert {e["msgid"] for e in entries} == {e["msgid"] for e in english}, "run makemessages for every language"
    forms = int(re.search(r"nplurals=(\d+)", header["msgstr"][0]).group(1))
    assert f"Language: {lang}" in header["msgstr"][0] and "fuzzy" not in header.get("flags", set())
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e.get("flags", set())]
    untranslated = [e["msgid"] for e in entries if not all(form.strip() for form in e.get("msgstr", [""]))]
    wrong_plurals = [e["msgid"] for e in entries if "msgid_plural" in e and len(e["msgstr"]) != forms]
    assert (fuzzy, untranslated[:10], wrong_plurals) == ([], [], [])
    lost = []
    for e in entries:
        wanted = {m.group(0) for m in NAMED.finditer(e["msgid"] + e.get("msgid_plural", ""))}
        lost += [(e["msgid"], form) for form in e["msgstr"]
                 if {m.group(0) for m in NAMED.finditer(form)} - wanted
                 or (len(e["msgstr"]) == 1 and {m.group(0) for m in NAMED.finditer(form)} != wanted)]
    assert lost == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_compiled_catalogue_is_up_to_date(lang):
    source = LOCALE / lang / "LC_MESSAGES" / "django.po"
    compiled = source.with_suffix(".mo")
    assert compiled.exists() and compiled.stat().st_mtime >= source.stat().st_mtime, "run make messages"


@pytest.fixture
def plan(org: Any) -> Any:
    plan = make_finished_plan(org, site_name="Piazza Test")
    plan.next_review = datetime.date(2027, 3, 9)
    plan.save()
    return plan


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["en", *LANGUAGES])
def test_pages_speak_the_language_with_its_own_number_and_date_formats(client, officer, plan, lang):
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.get(reverse("plans:detail", args=[plan.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    with translation.override(lang):
        assert f'<html lang="{lang}"' in html
        assert translation.gettext("Next review") in html
        assert formats.number_format(50_000, 0, use_l10n=True, force_grouping=True) in html
        review = formats.date_format(plan.next_review, "DATE_FORMAT")
    assert re.search(r'id="next-review">' + re.escape(review), html), (review, lang)
    if lang != "en":
        with translation.override("en"):
            assert formats.date_format(plan.next_review, "DATE_FORMAT") != review


def _glyphs_of(reader: PdfReader) -> set[int]:
    """Every character the PDF's embedded fonts can draw (their cmap tables)."""
    found: set[int] = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descriptor = descendant.get_object().get("/FontDescriptor")
                if descriptor is None:
                    continue
                descriptor = descriptor.get_object()
                stream = descriptor.get("/FontFile2") or descriptor.get("/FontFile3") or descriptor.get("/FontFile")
                if stream is None:
                    continue
                ttf = TTFont(io.BytesIO(stream.get_object().get_data()))
                for table in ttf["cmap"].tables if "cmap" in ttf else []:
                    found.update(table.cmap)
    return found


@pytest.mark.django_db
@pytest.mark.parametrize("lang", [lang for lang in ("el", "lt", "ro") if lang in LANGUAGES])
def test_pdfs_draw_every_letter_of_the_script(org, lang, tmp_path):
    with override_settings(MEDIA_ROOT=tmp_path, STOA_REPORTS_INLINE=True), transaction.atomic():
        plan = make_finished_plan(org, site_name="Piazza Test")
        viewer = factories.make_user(org, "viewer", username="pdf-viewer")
        job = request_report(viewer, org, kind="action_plan", plan=plan, language=lang)
        assert job.status == "done", job.error
        content = job.file.read()
        job.file.close()
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    with translation.override(lang):
        heading = translation.gettext("Next review")
    assert heading in " ".join(text.split())
    letters = {ch for ch in text if ch.isalpha() and ord(ch) > 127}
    assert letters, f"no letter of the {lang} script in the PDF"
    missing = {ch for ch in letters if ord(ch) not in _glyphs_of(reader)}
    assert missing == set(), f"drawn without a glyph: {sorted(missing)}"

