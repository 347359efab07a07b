"""`manage.py backup` and `manage.py restore_drill`: a backup restores completely, and a
backup that does not match its manifest is caught."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.factories import CityFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    (settings.MEDIA_ROOT / "unit").mkdir()
    (settings.MEDIA_ROOT / "unit" / "a.pdf").write_bytes(b"%PDF-1.4 sample")
    return settings.MEDIA_ROOT


def test_a_backup_restores_with_every_row_and_file(media, tmp_path, capsys):
    CityFactory(name="Ciudad de respaldo", slug="respaldo")
    target = tmp_path / "backup"
    call_command("backup", output=target)
    manifest = json.loads((target / "manifest.json").read_text())
    assert manifest["tables"]["cities_city"]["rows"] == 1
    assert set(manifest["media"]) == {"unit/a.pdf"}
    assert (target / "database.dump").read_bytes().startswith(b"PGDMP")

    call_command("restore_drill", source=target)
    assert "Everything matches" in capsys.readouterr().out


def test_the_drill_fails_when_the_backup_does_not_match_its_manifest(media, tmp_path):
    CityFactory(slug="respaldo")
    target = tmp_path / "backup"
    call_command("backup", output=target)
    manifest = json.loads((target / "manifest.json").read_text())
    manifest["tables"]["cities_city"]["rows"] = 2
    manifest["media"]["unit/a.pdf"]["sha256"] = "0" * 64
    (target / "manifest.json").write_text(json.dumps(manifest))

    with pytest.raises(CommandError) as failure:
        call_command("restore_drill", source=target)
    assert "table cities_city: 1 rows (expected 2)" in str(failure.value)
    assert "media file unit/a.pdf is missing or differs" in str(failure.value)


def test_the_drill_says_when_there_is_no_backup(settings, tmp_path):
    settings.BACKUP_DIR = tmp_path / "none"
    with pytest.raises(CommandError, match="No backup found"):
        call_command("restore_drill")


def test_a_backup_never_overwrites_an_existing_folder(media, tmp_path):
    target = tmp_path / "backup"
    target.mkdir()
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", output=target)
