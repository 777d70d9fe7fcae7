"""The German catalogue ships complete: every msgid translated (no empty, no fuzzy entry,
the same placeholders), the committed .mo is the compiled .po, and makemessages run on
the code finds no msgid the catalogue lacks. When one fails: `make messages`, translate
what it added in locale/de/LC_MESSAGES/django.po, commit the .po and the .mo (README,
"Languages")."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
from django.conf import settings

PO = settings.BASE_DIR / "locale" / "de" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)s|%%|\{[a-z_]*\}")


def entries(catalogue):
    """msgid (with context and plural) → msgstr(s), for every live entry."""
    out = {}
    for e in catalogue:
        if e.obsolete or not e.msgid:
            continue
        key = (e.msgctxt, e.msgid, e.msgid_plural or None)
        if e.msgid_plural:
            out[key] = tuple(e.msgstr_plural[i] for i in sorted(e.msgstr_plural))
        else:
            out[key] = e.msgstr
    return out


def test_every_german_msgid_has_a_translation_with_the_same_placeholders():
    po = polib.pofile(str(PO))
    assert po.metadata.get("Plural-Forms") == "nplurals=2; plural=(n != 1);"
    live = [e for e in po if not e.obsolete]
    assert len(live) > 400, "the catalogue lost most of its entries"
    fuzzy = [e.msgid for e in live if "fuzzy" in e.flags]
    untranslated = [e.msgid for e in live if not e.translated()]
    assert not fuzzy, f"fuzzy entries (check and drop the flag): {fuzzy}"
    assert not untranslated, f"untranslated entries: {untranslated}"
    wrong = []
    for e in live:
        # The plural forms carry the plural msgid's placeholders (the count among them).
        wanted = sorted(PLACEHOLDER.findall(e.msgid_plural or e.msgid))
        texts = list(e.msgstr_plural.values()) if e.msgid_plural else [e.msgstr]
        for text in texts:
            # A singular may say "one" instead of its count; everything else must be there.
            if sorted(PLACEHOLDER.findall(text)) != wanted and not (
                e.msgid_plural and text is texts[0]
            ):
                wrong.append((e.msgid, text))
    assert not wrong, f"placeholders differ: {wrong}"


def test_the_committed_mo_is_the_compiled_po():
    po, mo = entries(polib.pofile(str(PO))), entries(polib.mofile(str(MO)))
    assert mo == po, "locale/de/LC_MESSAGES/django.mo is stale: run `make messages`"


def test_makemessages_finds_no_msgid_missing_from_the_catalogue(tmp_path):
    """Run on a copy of the code, so the committed catalogue is left as it is."""
    copy = tmp_path / "src"
    shutil.copytree(
        settings.BASE_DIR,
        copy,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "node_modules", "staticfiles", "private", "__pycache__", "*.sqlite3"
        ),
    )
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "de", "--no-obsolete"],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = entries(polib.pofile(str(copy / PO.relative_to(settings.BASE_DIR))))
    committed = entries(polib.pofile(str(PO)))
    new = sorted(msgid for _, msgid, _ in set(fresh) - set(committed))
    assert not new, f"marked for translation but not in the German catalogue: {new}"
    gone = sorted(msgid for _, msgid, _ in set(committed) - set(fresh))
    assert not gone, f"in the catalogue but no longer in the code: {gone}"


def test_english_and_german_are_offered():
    assert dict(settings.LANGUAGES).keys() == {"en-gb", "de"}
    assert settings.LANGUAGE_CODE == "en-gb"
    assert Path(settings.LOCALE_PATHS[0]) == settings.BASE_DIR / "locale"
