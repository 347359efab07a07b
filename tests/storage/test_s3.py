"""Uploaded files in a private bucket of a real S3-compatible server (moto's, on the
loopback address): uploads through the practice form, downloads only through the portal's
permission checks with the download headers, backups and the restore drill through the
storage, and a store that is down (a 503 page, or the form kept; nothing lost)."""

import json
import tarfile
import urllib.error
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from experiences import services
from experiences.models import Practice, PracticeAttachment
from tests.experiences.conftest import PDF_BYTES, form_data
from tests.unit.test_about import onboarding
from tests.unit.test_admin import ADD_DOCUMENT, document_data
from unit.models import Document, LineOfWork, WorkPlan


def pdf_upload(name="informe.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def create_through_the_form(client, city, themes, **overrides):
    data = form_data(city=city.pk, themes=[themes["gender"].pk], action="save", **overrides)
    data["attachments"] = [pdf_upload()]
    return client.post("/en/practices/new/", data)


def keys(s3, bucket, prefix=""):
    listing = s3.list_objects_v2(Bucket=bucket, Prefix=prefix)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def attach(practice, user):
    return services.attachment_add(practice=practice, user=user, upload=pdf_upload())


def download(client, attachment):
    """GET the attachment's download address, as the practice page links it."""
    return client.get(f"/en/practices/{attachment.practice.slug}/attachments/{attachment.pk}/")


# --- upload --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_attachment_sent_with_the_practice_form_lands_private_in_the_bucket(
    ana_client, city_a, themes, s3, bucket
):
    response = create_through_the_form(ana_client, city_a, themes)

    assert response.status_code == 302
    attachment = PracticeAttachment.objects.get()
    key = f"media/{attachment.file.name}"
    assert keys(s3, bucket) == [key]
    assert s3.get_object(Bucket=bucket, Key=key)["Body"].read() == PDF_BYTES
    grants = s3.get_object_acl(Bucket=bucket, Key=key)["Grants"]
    assert all("URI" not in grant["Grantee"] for grant in grants)  # no AllUsers, no AuthUsers
    endpoint = s3.meta.endpoint_url
    with pytest.raises(urllib.error.HTTPError) as unsigned:
        urllib.request.urlopen(f"{endpoint}/{bucket}/{key}", timeout=5)  # noqa: S310 - loopback
    assert unsigned.value.code == 403


@pytest.mark.django_db
def test_a_signed_address_lasts_a_minute_and_downloads_as_an_attachment(s3, bucket):
    name = default_storage.save("unit/acta.pdf", ContentFile(PDF_BYTES))
    url = default_storage.url(name, expire=3600)
    assert "X-Amz-Expires=60&" in url
    assert "response-content-disposition=attachment" in url


# --- download with permissions -------------------------------------------------------------


@pytest.mark.django_db
def test_the_author_downloads_a_draft_attachment_with_the_download_headers(
    ana_client, ana, draft, s3
):
    response = download(ana_client, attach(draft, ana))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


@pytest.mark.django_db
def test_a_coordinator_of_another_city_gets_404_for_a_draft_attachment(
    bruno_client, ana, draft, s3
):
    response = download(bruno_client, attach(draft, ana))
    assert response.status_code == 404


@pytest.mark.django_db
def test_a_members_only_library_document_is_404_for_a_visitor_and_served_to_a_member(
    visitor, ana_client, s3
):
    document = onboarding("acta-reservada", Document.Audience.MEMBERS, file=None)
    document.file.save("acta.pdf", ContentFile(PDF_BYTES))
    url = f"/en/unit/library/{document.slug}/download/"
    assert visitor.get(url).status_code == 404
    response = ana_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_a_file_gone_from_the_bucket_is_404(ana_client, ana, draft, s3, bucket):
    attachment = attach(draft, ana)
    s3.delete_object(Bucket=bucket, Key=f"media/{attachment.file.name}")
    response = download(ana_client, attachment)
    assert response.status_code == 404


# --- backup and restore drill --------------------------------------------------------------

pytestmark_backups = pytest.mark.django_db(transaction=True)


@pytestmark_backups
def test_a_backup_reads_the_bucket_and_the_drill_restores_through_it(
    ana, draft, s3, bucket, tmp_path, capsys
):
    attachment = attach(draft, ana)
    default_storage.save("unit/orphan.pdf", ContentFile(b"%PDF-1.4 kept too"))
    target = tmp_path / "backup"

    call_command("backup", output=target)

    manifest = json.loads((target / "manifest.json").read_text())
    assert set(manifest["media"]) == {attachment.file.name, "unit/orphan.pdf"}
    assert manifest["media"][attachment.file.name]["bytes"] == len(PDF_BYTES)
    assert manifest["missing"] == []
    assert manifest["storage"] == "core.storage.PrivateS3Storage"
    with tarfile.open(target / "media.tar.gz") as archive:
        assert archive.extractfile(f"media/{attachment.file.name}").read() == PDF_BYTES

    call_command("restore_drill", source=target)
    assert "2 media files compared" in capsys.readouterr().out
    # the drill's scratch copies went to a prefix of their own and are gone again
    assert keys(s3, bucket) == sorted(f"media/{n}" for n in manifest["media"])


@pytestmark_backups
def test_a_file_named_by_the_database_but_missing_from_the_bucket_fails_the_backup_and_drill(
    ana, draft, s3, bucket, tmp_path
):
    attachment = attach(draft, ana)
    s3.delete_object(Bucket=bucket, Key=f"media/{attachment.file.name}")
    target = tmp_path / "backup"

    with pytest.raises(CommandError) as backup:
        call_command("backup", output=target)
    assert "INCOMPLETE: 1 files named by the database are missing" in str(backup.value)
    assert attachment.file.name in str(backup.value)

    with pytest.raises(CommandError) as drill:
        call_command("restore_drill", source=target)
    assert (
        f"file {attachment.file.name} is named by the database but missing from the backup"
        in str(drill.value)
    )


@pytestmark_backups
def test_a_file_altered_in_the_backup_fails_the_drill(ana, draft, s3, tmp_path):
    attachment = attach(draft, ana)
    target = tmp_path / "backup"
    call_command("backup", output=target)
    manifest = json.loads((target / "manifest.json").read_text())
    manifest["media"][attachment.file.name]["sha256"] = "0" * 64
    (target / "manifest.json").write_text(json.dumps(manifest))

    with pytest.raises(CommandError, match=f"media file {attachment.file.name} is missing"):
        call_command("restore_drill", source=target)


@pytestmark_backups
def test_a_backup_while_the_store_is_down_fails_and_leaves_no_folder(
    ana, draft, s3, store_down, tmp_path
):
    store_down(up=True)
    attach(draft, ana)
    store_down(up=False)
    target = tmp_path / "backup"
    with pytest.raises(CommandError, match="file store cannot be reached"):
        call_command("backup", output=target)
    assert not target.exists()


# --- the store being down ------------------------------------------------------------------


@pytest.mark.django_db
def test_a_download_while_the_store_is_down_is_a_translated_503_page(
    ana_client, ana, draft, s3, store_down
):
    store_down(up=True)
    attachment = attach(draft, ana)
    store_down(up=False)

    url = f"/practices/{draft.slug}/attachments/{attachment.pk}/"
    response = ana_client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "no puede acceder a su almacén de archivos" in response.content.decode()
    response = ana_client.get(f"/pt-br{url}")
    assert "não consegue acessar o armazenamento de arquivos" in response.content.decode()

    store_down(up=True)
    assert ana_client.get(f"/en{url}").status_code == 200


@pytest.mark.django_db
def test_a_practice_sent_while_the_store_is_down_keeps_its_text_and_saves_nothing(
    ana_client, city_a, themes, s3, bucket, store_down
):
    response = create_through_the_form(
        ana_client, city_a, themes, title="Huertas que no se pierden"
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "The file store cannot be reached right now" in html
    assert 'value="Huertas que no se pierden"' in html
    assert "Mesas barriales donde niñas y niños opinan" in html  # the summary typed
    assert not Practice.objects.exists()
    assert not PracticeAttachment.objects.exists()

    store_down(up=True)
    response = create_through_the_form(
        ana_client, city_a, themes, title="Huertas que no se pierden"
    )
    assert response.status_code == 302
    attachment = PracticeAttachment.objects.get(practice__title="Huertas que no se pierden")
    assert keys(s3, bucket) == [f"media/{attachment.file.name}"]


@pytest.mark.django_db
def test_a_library_document_added_in_the_admin_while_the_store_is_down_is_a_503(
    sofia_client, s3, store_down
):
    plan = WorkPlan.objects.create(start_year=2012, end_year=2012, title_es="Plan", title_en="Plan")
    line = LineOfWork.objects.create(plan=plan, number=1, slug="ninez", title_es="Niñez")
    response = sofia_client.post(ADD_DOCUMENT, document_data(pdf_upload("acta.pdf"), line))

    assert response.status_code == 503
    assert "cannot reach its file store" in response.content.decode()
    assert not Document.objects.exists()
