"""Nothing typed on a practice's edit page is lost: attachments are removed by a tick box
applied with the save, archiving asks first, and a refused concurrent save shows what the
other person changed beside the text that was kept."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from experiences import services
from experiences.models import Practice, PracticeAttachment
from tests.experiences.conftest import PDF_BYTES, form_data

pytestmark = pytest.mark.usefixtures("media")


@pytest.fixture
def attached(draft, ana):
    return services.attachment_add(
        practice=draft, user=ana, upload=SimpleUploadedFile("informe.pdf", PDF_BYTES)
    )


def edit(client, practice, **overrides):
    with translation.override("en"):
        return client.post(f"/en/practices/{practice.slug}/edit/", form_data(practice, **overrides))


# --- removing an attachment ----------------------------------------------------------------


def test_the_edit_page_offers_a_tick_box_not_a_separate_form(ana_client, draft, attached):
    html = ana_client.get(f"/en/practices/{draft.slug}/edit/").content.decode()
    assert f'name="remove_attachments" value="{attached.pk}"' in html
    assert "/remove/" not in html
    main = html[html.index("<main") : html.index("</main>")]
    assert main.count("<form") == 1  # nothing beside the practice's own form posts


def test_ticking_an_attachment_for_removal_keeps_the_pages_other_edits(ana_client, draft, attached):
    response = edit(
        ana_client,
        draft,
        title="Mesas de niñez, segunda edición",
        summary="Un resumen reescrito.",
        remove_attachments=[attached.pk],
        action="save",
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Mesas de niñez, segunda edición"
    assert draft.summary == "Un resumen reescrito."
    assert not PracticeAttachment.objects.filter(pk=attached.pk).exists()
    assert draft.version == 2


def test_a_refused_save_removes_nothing_and_keeps_the_box_ticked(ana_client, draft, attached):
    response = edit(
        ana_client,
        draft,
        title="Título nuevo",
        start_date="2020-01-01",
        end_date="2019-01-01",
        remove_attachments=[attached.pk],
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert f'value="{attached.pk}" id="id_remove_attachments_{attached.pk}" checked' in html
    assert 'value="Título nuevo"' in html
    assert PracticeAttachment.objects.filter(pk=attached.pk).exists()
    draft.refresh_from_db()
    assert draft.title == "Mesas de niñez en borrador"


def test_an_attachment_of_another_practice_cannot_be_ticked(ana_client, ana, draft, make_practice):
    other = make_practice(title="Otra", status=Practice.Status.DRAFT)
    foreign = services.attachment_add(
        practice=other, user=ana, upload=SimpleUploadedFile("otro.pdf", PDF_BYTES)
    )
    response = edit(ana_client, draft, title="Cambiado", remove_attachments=[foreign.pk])
    assert response.status_code == 200
    assert "remove_attachments" in response.context["form"].errors
    assert PracticeAttachment.objects.filter(pk=foreign.pk).exists()
    draft.refresh_from_db()
    assert draft.title == "Mesas de niñez en borrador"


def test_removing_makes_room_for_a_new_file_in_the_same_save(ana_client, draft, attached, settings):
    settings.PRACTICE_ATTACHMENT_MAX_FILES = 1
    data = form_data(draft, remove_attachments=[attached.pk], action="save")
    data["attachments"] = [SimpleUploadedFile("nuevo.pdf", PDF_BYTES)]
    response = ana_client.post(f"/en/practices/{draft.slug}/edit/", data)
    assert response.status_code == 302
    assert list(draft.attachments.values_list("original_name", flat=True)) == ["nuevo.pdf"]


# --- archiving asks first ----------------------------------------------------------------


def test_archiving_asks_on_a_page_that_works_without_javascript(ana_client, published):
    detail = ana_client.get(f"/en/practices/{published.slug}/").content.decode()
    archive_url = f"/en/practices/{published.slug}/archive/"
    assert f'href="{archive_url}"' in detail  # a link to the question, not a button that acts
    assert f'action="{archive_url}"' not in detail
    question = ana_client.get(archive_url)
    assert question.status_code == 200
    assert 'method="post"' in question.content.decode()
    published.refresh_from_db()
    assert published.status == Practice.Status.PUBLISHED
    assert ana_client.post(archive_url).status_code == 302
    published.refresh_from_db()
    assert published.status == Practice.Status.ARCHIVED


# --- a refused concurrent save -----------------------------------------------------------


def test_a_refused_save_shows_what_the_other_person_changed(
    ana_client, sofia_client, draft, themes
):
    opened_by_ana = form_data(draft, summary="El resumen según Ana.", title="Título de Ana")
    long_summary = (
        "Mesas barriales donde niñas y niños opinan sobre su barrio, ahora con "
        "<script>alert(1)</script> presupuesto propio y una consulta anual en cada escuela."
    )
    saved_by_sofia = form_data(
        draft,
        title="Mesas de niñez (revisado)",
        summary=long_summary,
        themes=[themes["children-adolescents"].pk, themes["gender"].pk],
    )
    assert sofia_client.post(f"/en/practices/{draft.slug}/edit/", saved_by_sofia).status_code == 302
    response = edit(ana_client, draft, **{k: opened_by_ana[k] for k in ("summary", "title")})
    assert response.status_code == 409
    html = response.content.decode()
    changes = {change.name: change for change in response.context["conflict_changes"]}
    assert {"title", "summary", "themes"} <= set(changes)
    assert changes["title"].before == "Mesas de niñez en borrador"
    assert changes["title"].after == "Mesas de niñez (revisado)"
    assert changes["themes"].after == "Children, Gender"
    assert "What the other person changed" in html
    # the long text as a word difference, escaped
    assert "<ins>" in str(changes["summary"].diff)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html
    # her own text is kept in the form, nothing of it saved
    assert "El resumen según Ana." in html
    assert 'value="Título de Ana"' in html
    draft.refresh_from_db()
    assert draft.title == "Mesas de niñez (revisado)"


def test_a_status_change_by_someone_else_is_named_as_such(ana_client, sofia, draft):
    opened = form_data(draft, title="Cambio de Ana")
    services.practice_submit(practice=draft, user=sofia)
    with translation.override("en"):
        response = ana_client.post(f"/en/practices/{draft.slug}/edit/", opened)
    assert response.status_code == 409
    assert response.context["conflict_changes"] == []
    assert "They changed the practice's status, not its text." in response.content.decode()
