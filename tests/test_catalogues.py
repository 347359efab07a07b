"""The es, pt-br and en catalogues are complete: no empty or fuzzy entry, placeholders kept,
and every page's <html lang> is the language of its address."""

import re
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale"
LANGUAGES = ["es", "pt_BR", "en"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{\w*\}")


def catalogue(language):
    return polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))


def live_entries(language):
    return [entry for entry in catalogue(language) if not entry.obsolete]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(language):
    entries = live_entries(language)
    assert len(entries) > 1000
    untranslated = [e.msgid for e in entries if not e.translated()]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translations_keep_the_placeholders_of_their_source(language):
    mismatched = []
    for entry in live_entries(language):
        expected = sorted(PLACEHOLDER.findall(entry.msgid))
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for text in translations:
            if entry.msgid_plural:
                # A singular form may name the count in words instead of %(count)s.
                if not set(PLACEHOLDER.findall(text)) <= set(
                    PLACEHOLDER.findall(entry.msgid + entry.msgid_plural)
                ):
                    mismatched.append(entry.msgid)
            elif sorted(PLACEHOLDER.findall(text)) != expected:
                mismatched.append(entry.msgid)
    assert mismatched == []


def test_the_three_catalogues_hold_the_same_messages():
    ids = [{(e.msgctxt, e.msgid) for e in live_entries(language)} for language in LANGUAGES]
    assert ids[0] == ids[1] == ids[2]


@pytest.mark.parametrize(
    ("prefix", "lang", "text"),
    [
        ("", "es", "Ciudades"),
        ("/pt-br", "pt-br", "Cidades"),
        ("/en", "en", "Cities"),
    ],
)
@pytest.mark.parametrize(
    "path", ["/", "/cities/", "/practices/", "/mapping/", "/events/", "/funding/", "/unit/"]
)
def test_each_main_page_speaks_the_language_of_its_address(client, db, prefix, lang, text, path):
    response = client.get(prefix + path)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{lang}"' in html
    assert f">{text}</a>" in html  # the main navigation, translated
