"""Joining the network: the public form, its spam protection, and the statutes' stages."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from cities import services
from cities.models import (
    ApplicationStage,
    City,
    CoordinatorInvitation,
    MembershipApplication,
)
from tests.factories import CityFactory, SecretariatFactory, UserFactory

JOIN_URL = "/en/cities/join/"
Status = MembershipApplication.Status
Kind = MembershipApplication.Kind

# 200 characters: the least a motivation may hold (settings.JOIN_MOTIVATION_MIN_CHARS).
MOTIVATION = (
    "Salto runs neighbourhood social centres and wants to share them. "
    "Its teams work with families, older people and migrants, and the city wants to learn "
    "from the practices of other cities of the unit."
).ljust(200, ".")
assert len(MOTIVATION) == 200


def valid_data(**changes):
    data = {
        "city_name": "Salto",
        "country": "UY",
        "contact_name": "Lucía Fernández",
        "email": "lucia@salto.example",
        "position": "Directora de Desarrollo Social",
        "motivation": MOTIVATION,
        "kind": Kind.NETWORK,
        "homepage": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def submit(db, visitor, django_capture_on_commit_callbacks):
    """Post the join form as a visitor and run the e-mails queued for after the commit."""

    def post(url=JOIN_URL, client=visitor, **changes):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(url, valid_data(**changes), REMOTE_ADDR="203.0.113.7")

    return post


def with_translation_en(function):
    with translation.override("en"):
        return function()


def make_application(**changes):
    data = valid_data(**changes)
    data.pop("homepage")
    data.setdefault("language", "en")
    return services.application_submit(**data)


# --- The form -------------------------------------------------------------------------------


@pytest.mark.parametrize("client_name", ["visitor", "ana_client", "sofia_client"])
def test_everyone_sees_the_join_form_with_csrf_and_privacy_link(request, client_name):
    response = request.getfixturevalue(client_name).get(JOIN_URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "csrfmiddlewaretoken" in html
    assert 'href="/en/privacy/"' in html
    assert "<legend>The city</legend>" in html


def test_honeypot_is_hidden_from_people_and_screen_readers(visitor, db):
    html = visitor.get(JOIN_URL).content.decode()
    assert 'aria-hidden="true"' in html
    assert 'name="homepage" tabindex="-1" autocomplete="off"' in html
    assert '<label for="id_homepage">' in html


def test_country_list_holds_only_the_reference_countries(visitor, db):
    form = visitor.get(JOIN_URL).context["form"]
    codes = {code for code, _label in form.fields["country"].choices if code}
    assert {"AR", "BR", "UY", "PY", "CL", "BO", "MX", "PA"} <= codes
    assert not codes & {"US", "ES", "FR", "PT"}


# --- Submitting -----------------------------------------------------------------------------


def test_visitor_application_is_recorded_with_language_and_first_stage(submit, mailoutbox):
    response = submit()
    assert response.status_code == 302
    assert response["Location"] == "/en/cities/join/sent/"
    application = MembershipApplication.objects.get()
    assert application.city_name == "Salto"
    assert application.country == "UY"
    assert application.language == "en"
    assert application.status == Status.RECEIVED
    stage = application.stages.get()
    assert stage.status == Status.RECEIVED
    assert stage.decided_by is None


def test_sent_page_thanks_the_applicant(visitor, db):
    response = visitor.get("/en/cities/join/sent/")
    assert response.status_code == 200
    assert "Application sent" in response.content.decode()


def test_applicant_is_confirmed_in_the_language_they_used(submit, mailoutbox):
    submit(url="/pt-br/cities/join/")
    application = MembershipApplication.objects.get()
    assert application.language == "pt-br"
    to_applicant = [mail for mail in mailoutbox if mail.to == ["lucia@salto.example"]]
    assert len(to_applicant) == 1
    # Links in the e-mail carry the applicant's language.
    assert "/pt-br/privacy/" in to_applicant[0].body


def test_english_confirmation_is_written_in_english(submit, mailoutbox):
    submit()
    (mail,) = [mail for mail in mailoutbox if mail.to == ["lucia@salto.example"]]
    assert mail.subject == "[UTDS Mercociudades] We received the application of Salto"
    assert "Dear Lucía Fernández," in mail.body
    assert "/en/privacy/" in mail.body


def test_each_active_secretariat_member_is_told_in_their_language(
    submit, sofia, mailoutbox, settings
):
    settings.PORTAL_URL = "https://utds.example"
    SecretariatFactory(email="tom@utds.example", language="en")
    SecretariatFactory(email="gone@utds.example", is_active=False)
    submit()
    by_address = {mail.to[0]: mail for mail in mailoutbox}
    assert set(by_address) == {"lucia@salto.example", "sofia@utds.example", "tom@utds.example"}
    application = MembershipApplication.objects.get()
    change_path = f"/admin/cities/membershipapplication/{application.pk}/change/"
    assert f"https://utds.example{change_path}" in by_address["sofia@utds.example"].body
    english = by_address["tom@utds.example"]
    assert f"https://utds.example/en{change_path}" in english.body
    assert english.subject == "[UTDS Mercociudades] New membership application: Salto (Uruguay)"
    assert application.motivation in english.body


def test_without_secretariat_the_contact_address_is_told(submit, mailoutbox, settings):
    submit()
    assert {mail.to[0] for mail in mailoutbox} == {"lucia@salto.example", settings.CONTACT_EMAIL}


def test_coordinator_may_apply_for_another_city(submit, ana_client, mailoutbox):
    response = submit(client=ana_client)
    assert response.status_code == 302
    assert MembershipApplication.objects.count() == 1


# --- Bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "kept"),
    [
        ("email", "", None),
        ("email", "not-an-address", 'value="not-an-address"'),
        ("city_name", "S" * 121, None),
        ("country", "US", None),
        ("country", "", None),
        ("contact_name", "", None),
        ("motivation", "m" * 4001, None),
        ("motivation", "", None),
        ("kind", "", None),
        ("kind", "everything", None),
    ],
)
def test_bad_input_is_shown_beside_the_field_keeps_the_rest_and_saves_nothing(
    submit, mailoutbox, field, value, kept
):
    response = submit(**{field: value})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id_{field}_error"' in html
    assert 'aria-invalid="true"' in html
    assert "Please correct the errors below." in html
    # What the person typed in the other fields is still there.
    if field != "contact_name":
        assert 'value="Lucía Fernández"' in html
    if kept:
        assert kept in html
    assert MembershipApplication.objects.count() == 0
    assert mailoutbox == []


def test_same_email_and_city_while_pending_is_told_it_is_already_pending(submit, mailoutbox, db):
    existing = make_application()
    mailoutbox.clear()
    response = submit(email="LUCIA@salto.example", city_name="  salto ")
    assert response.status_code == 200
    assert "already pending" in response.content.decode()
    assert MembershipApplication.objects.count() == 1
    existing.refresh_from_db()
    assert existing.status == Status.RECEIVED
    assert mailoutbox == []


def test_same_email_may_apply_for_another_city_or_after_a_rejection(submit, sofia):
    first = make_application()
    assert submit(city_name="Paysandú").status_code == 302
    services.application_reject(application=first, reason="Not a city government.", by=sofia)
    assert submit().status_code == 302
    assert MembershipApplication.objects.count() == 3


def test_service_refuses_a_duplicate_even_when_the_check_is_raced(db, monkeypatch):
    make_application()
    # Another request saved the same application between the check and the insert.
    monkeypatch.setattr(services, "application_pending_exists", lambda **kwargs: False)
    with pytest.raises(ValidationError) as error:
        make_application(email="Lucia@Salto.example")
    assert error.value.code == "already_pending"
    assert MembershipApplication.objects.count() == 1


def test_filled_honeypot_is_dropped_quietly(submit, mailoutbox):
    response = submit(homepage="http://spam.example")
    assert response.status_code == 302
    assert MembershipApplication.objects.count() == 0
    assert mailoutbox == []


def test_sixth_application_from_one_address_in_an_hour_is_refused_and_keeps_the_input(
    visitor, db, mailoutbox
):
    for number in range(5):
        data = valid_data(city_name=f"Ciudad {number}")
        response = visitor.post(JOIN_URL, data, REMOTE_ADDR="198.51.100.1")
        assert response.status_code == 302
    response = visitor.post(JOIN_URL, valid_data(city_name="Ciudad 6"), REMOTE_ADDR="198.51.100.1")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many applications" in html
    assert 'value="Ciudad 6"' in html
    assert "Salto runs neighbourhood social centres" in html
    assert MembershipApplication.objects.count() == 5
    # Another address is not affected.
    other = visitor.post(JOIN_URL, valid_data(city_name="Ciudad 7"), REMOTE_ADDR="198.51.100.2")
    assert other.status_code == 302


def test_behind_a_trusted_proxy_the_limit_is_per_client_address(visitor, db, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for number in range(5):
        data = valid_data(city_name=f"Ciudad {number}")
        visitor.post(JOIN_URL, data, HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)
    limited = visitor.post(JOIN_URL, valid_data(), HTTP_X_FORWARDED_FOR="198.51.100.1", **proxy)
    assert limited.status_code == 429
    other = visitor.post(JOIN_URL, valid_data(), HTTP_X_FORWARDED_FOR="198.51.100.2", **proxy)
    assert other.status_code == 302


def test_invalid_submissions_do_not_use_up_the_limit(visitor, db):
    for _attempt in range(6):
        visitor.post(JOIN_URL, valid_data(email="wrong"), REMOTE_ADDR="198.51.100.3")
    response = visitor.post(JOIN_URL, valid_data(), REMOTE_ADDR="198.51.100.3")
    assert response.status_code == 302


def test_join_answers_405_to_other_methods(visitor, db):
    assert visitor.put(JOIN_URL).status_code == 405


# --- Stages ---------------------------------------------------------------------------------


@pytest.fixture
def decide(django_capture_on_commit_callbacks, sofia):
    """Runs one of the secretariat's decisions on an application as Sofia, with the on-commit
    hooks (the e-mails) executed."""

    def run(service, application, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(application=application, by=sofia, **kwargs)

    return run


def test_application_moves_through_the_statutes_stages_to_a_new_member_city(
    sofia, mailoutbox, decide
):
    application = make_application(language="pt-br")
    mailoutbox.clear()
    for to_status, note in [(Status.UNDER_REVIEW, "Documents complete."), (Status.RECOMMENDED, "")]:
        decide(services.application_advance, application, to_status=to_status, note=note)
    decide(services.application_approve, application, note="Assembly 2025.")

    application.refresh_from_db()
    assert application.status == Status.APPROVED
    stages = list(application.stages.values_list("status", "note", "decided_by"))
    assert stages == [
        (Status.RECEIVED, "", None),
        (Status.UNDER_REVIEW, "Documents complete.", sofia.pk),
        (Status.RECOMMENDED, "", sofia.pk),
        (Status.APPROVED, "Assembly 2025.", sofia.pk),
    ]
    assert all(stage.created_at for stage in application.stages.all())

    city = application.city
    assert (city.name, city.slug, city.country, city.status) == (
        "Salto",
        "salto-uy",
        "UY",
        "member",
    )
    assert city.joined_year == timezone.localdate().year

    invitation = CoordinatorInvitation.objects.get(city=city)
    assert (invitation.email, invitation.language) == ("lucia@salto.example", "pt-br")
    assert invitation.invited_by == sofia

    # One e-mail per stage and the invitation, all in Portuguese (links carry /pt-br/).
    assert len(mailoutbox) == 4
    assert all(mail.to == ["lucia@salto.example"] for mail in mailoutbox)
    assert all("/pt-br/" in mail.body for mail in mailoutbox)
    assert "/pt-br/cities/invitation/" in mailoutbox[-1].body


def test_stage_email_in_english_names_the_new_stage(sofia, mailoutbox, decide):
    application = make_application(language="en")
    mailoutbox.clear()
    decide(services.application_advance, application, to_status=Status.UNDER_REVIEW)
    (mail,) = mailoutbox
    assert mail.subject == (
        "[UTDS Mercociudades] The application of Salto: under review by the secretariat"
    )
    assert "moved to a new stage: under review by the secretariat." in mail.body


def test_rejection_records_the_reason_and_tells_the_applicant(sofia, mailoutbox, decide):
    application = make_application(language="en")
    mailoutbox.clear()
    decide(
        services.application_reject, application, reason="The applicant is not a city government."
    )
    application.refresh_from_db()
    assert application.status == Status.REJECTED
    assert application.rejection_reason == "The applicant is not a city government."
    stage = application.stages.last()
    assert (stage.status, stage.decided_by) == (Status.REJECTED, sofia)
    (mail,) = mailoutbox
    assert "was not accepted" in mail.subject
    assert "The applicant is not a city government." in mail.body
    assert City.objects.filter(name="Salto").count() == 0


def test_nothing_is_sent_when_the_transaction_rolls_back(sofia, mailoutbox, db):
    # Without the commit hooks running (the test's transaction never commits) no e-mail leaves.
    application = make_application()
    services.application_advance(application=application, to_status=Status.UNDER_REVIEW, by=sofia)
    assert mailoutbox == []


def _at(status, reason=""):
    application = make_application()
    MembershipApplication.objects.filter(pk=application.pk).update(
        status=status, rejection_reason=reason
    )
    application.refresh_from_db()
    return application


@pytest.mark.parametrize(
    ("status", "action", "message"),
    [
        (Status.RECEIVED, "approve", "“received” cannot move to “approved by the Assembly”"),
        (Status.UNDER_REVIEW, "approve", "cannot move to “approved by the Assembly”"),
        (Status.REJECTED, "approve", "“rejected” cannot move"),
        (Status.APPROVED, "review", "“approved by the Assembly” cannot move"),
        (Status.RECEIVED, "recommend", "“received” cannot move to “recommended to the Council”"),
        (Status.APPROVED, "reject", "cannot move to “rejected”"),
        (Status.RECEIVED, "advance_to_approved", "own action"),
        (Status.RECEIVED, "reject_without_reason", "Give the reason"),
    ],
)
def test_invalid_transitions_raise_a_readable_error_and_change_nothing(
    sofia, status, action, message
):
    application = _at(status, reason="Earlier reason." if status == Status.REJECTED else "")
    calls = {
        "approve": lambda: services.application_approve(application=application, by=sofia),
        "review": lambda: services.application_advance(
            application=application, to_status=Status.UNDER_REVIEW, by=sofia
        ),
        "recommend": lambda: services.application_advance(
            application=application, to_status=Status.RECOMMENDED, by=sofia
        ),
        "reject": lambda: services.application_reject(
            application=application, reason="Too late.", by=sofia
        ),
        "advance_to_approved": lambda: services.application_advance(
            application=application, to_status=Status.APPROVED, by=sofia
        ),
        "reject_without_reason": lambda: services.application_reject(
            application=application, reason="  ", by=sofia
        ),
    }
    with pytest.raises(ValidationError) as error:
        with_translation_en(calls[action])
    assert message in " ".join(error.value.messages)
    application.refresh_from_db()
    assert application.status == status
    assert application.stages.count() == 1
    assert City.objects.filter(name="Salto").count() == 0


def test_approval_of_a_city_already_member_is_refused(sofia, db):
    CityFactory(name="Salto", slug="salto-uy", country="UY", status="member")
    application = _at(Status.RECOMMENDED)
    with pytest.raises(ValidationError) as error:
        with_translation_en(lambda: services.application_approve(application=application, by=sofia))
    assert "Salto is already a member city." in error.value.messages
    assert CoordinatorInvitation.objects.count() == 0


def test_approval_makes_a_former_member_a_member_again(sofia, db):
    former = CityFactory(name="SALTO", slug="salto-uy", country="UY", status="former")
    application = _at(Status.RECOMMENDED)
    services.application_approve(application=application, by=sofia)
    former.refresh_from_db()
    assert former.status == "member"
    assert former.joined_year == timezone.localdate().year
    assert application.city == former
    assert City.objects.filter(country="UY").count() == 1


def test_approval_picks_a_free_slug(sofia, db):
    CityFactory(name="Salto Grande", slug="salto-uy", country="UY")
    application = _at(Status.RECOMMENDED)
    services.application_approve(application=application, by=sofia)
    assert application.city.slug == "salto-uy-2"


def test_approval_does_not_invite_someone_who_already_coordinates_the_city(sofia, db):
    former = CityFactory(name="Salto", slug="salto-uy", country="UY", status="former")
    user = UserFactory(email="lucia@salto.example")
    former.coordinators.create(user=user)
    application = _at(Status.RECOMMENDED)
    services.application_approve(application=application, by=sofia)
    assert CoordinatorInvitation.objects.count() == 0
    assert ApplicationStage.objects.filter(status=Status.APPROVED).count() == 1


# --- The two paths -------------------------------------------------------------------------


def test_form_names_both_paths_and_the_minimum_of_the_motivation(visitor, db):
    html = visitor.get(JOIN_URL).content.decode()
    assert "A member city of Mercociudades takes part in the unit" in html
    assert "A city outside the network applies to join Mercociudades" in html
    assert "take part in the unit (a city already in Mercociudades)" in html
    assert "join Mercociudades (a city outside the network)" in html
    assert "at least 200 and at most 4000 characters" in html
    assert 'minlength="200"' in html


def test_a_path_in_the_link_is_chosen_beforehand(visitor, db):
    html = visitor.get(JOIN_URL + "?path=unit").content.decode()
    assert re.search(r'value="unit"[^>]* checked>', html)
    assert " checked>" not in visitor.get(JOIN_URL + "?path=nonsense").content.decode()


def test_motivation_of_199_characters_is_refused_with_the_count_and_keeps_everything(
    submit, mailoutbox
):
    response = submit(motivation=MOTIVATION[:199])
    assert response.status_code == 200
    html = response.content.decode()
    assert "Write at least 200 characters" in html
    assert "(you wrote 199)" in html
    assert MOTIVATION[:199] in html
    assert 'value="Lucía Fernández"' in html
    assert re.search(r'value="network"[^>]* checked>', html)
    assert MembershipApplication.objects.count() == 0
    assert mailoutbox == []


def test_motivation_of_200_characters_is_accepted(submit):
    assert submit(motivation=MOTIVATION).status_code == 302
    assert MembershipApplication.objects.get().motivation == MOTIVATION


def test_spaces_around_the_motivation_do_not_count(submit):
    response = submit(motivation="   " + MOTIVATION[:199] + "   ")
    assert "(you wrote 199)" in response.content.decode()


def test_the_minimum_is_a_setting(submit, settings):
    settings.JOIN_MOTIVATION_MIN_CHARS = 250
    html = submit(motivation=MOTIVATION).content.decode()
    assert "Write at least 250 characters" in html
    assert MembershipApplication.objects.count() == 0


def test_the_setting_refuses_a_non_number_at_start(monkeypatch):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import utds.settings"],
        env={"JOIN_MOTIVATION_MIN_CHARS": "two hundred", "DEBUG": "1", "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "JOIN_MOTIVATION_MIN_CHARS must be a whole number" in result.stderr


def test_member_city_asks_to_take_part_and_the_secretariat_confirms_in_one_step(
    submit, sofia, mailoutbox, decide
):
    member = CityFactory(name="Salto", slug="salto-uy", country="UY", joined_year=1999)
    submit(kind=Kind.UNIT)
    application = MembershipApplication.objects.get()
    assert application.kind == Kind.UNIT
    (received,) = [mail for mail in mailoutbox if mail.to == ["lucia@salto.example"]]
    assert "to take part in its Social Development Thematic Unit" in received.body
    assert "There is no other step." in received.body
    to_secretariat = [mail for mail in mailoutbox if mail.to != ["lucia@salto.example"]]
    # the contact address is written to in Spanish, the portal's language
    assert "participar en la unidad (una ciudad que ya está en Mercociudades)" in (
        to_secretariat[0].body
    )
    assert "Salto (Uruguay), ciudad miembro de Mercociudades, pide participar" in (
        to_secretariat[0].body
    )
    assert to_secretariat[0].subject.endswith(
        "Nuevo pedido de participar en la unidad: Salto (Uruguay)"
    )
    # One step: from received straight to the secretariat's confirmation.
    assert services.application_allowed_transitions(application) == [
        Status.APPROVED,
        Status.REJECTED,
    ]
    mailoutbox.clear()
    decide(services.application_approve, application, note="Welcome, Salto!")
    application.refresh_from_db()
    member.refresh_from_db()
    assert application.status == Status.APPROVED
    assert application.city == member
    assert member.joined_year == 1999  # already in Mercociudades: the year stays
    assert with_translation_en(lambda: application.status_label) == "confirmed by the secretariat"
    stage_mail, invitation_mail = mailoutbox
    assert stage_mail.subject == (
        "[UTDS Mercociudades] The application of Salto: confirmed by the secretariat"
    )
    assert "take part in the Social Development Thematic Unit: confirmed by the secretariat" in (
        stage_mail.body
    )
    assert "Note from the secretariat:\nWelcome, Salto!" in stage_mail.body
    assert "Welcome to the unit." in stage_mail.body
    assert "/en/cities/invitation/" in invitation_mail.body


def test_unit_path_may_not_go_through_the_statutes_stages(sofia, db):
    application = make_application(kind=Kind.UNIT)
    with pytest.raises(ValidationError):
        services.application_advance(
            application=application, to_status=Status.UNDER_REVIEW, by=sofia
        )


def test_unit_path_rejection_carries_the_secretariats_note(sofia, mailoutbox, decide):
    application = make_application(kind=Kind.UNIT)
    mailoutbox.clear()
    decide(services.application_reject, application, reason="Salto is not a member yet.")
    (mail,) = mailoutbox
    assert "was not confirmed" in mail.body
    assert "Salto is not a member yet." in mail.body


def test_every_stage_email_of_the_statutes_path_carries_its_note(sofia, mailoutbox, decide):
    application = make_application()
    mailoutbox.clear()
    notes = {
        Status.UNDER_REVIEW: "We are checking the documents.",
        Status.RECOMMENDED: "The Council meets in March.",
    }
    for to_status, note in notes.items():
        decide(services.application_advance, application, to_status=to_status, note=note)
    decide(services.application_approve, application, note="Approved at the 2026 Assembly.")
    review, recommended, approved, _invitation = mailoutbox
    assert "Note from the secretariat:\nWe are checking the documents." in review.body
    assert "Note from the secretariat:\nThe Council meets in March." in recommended.body
    assert "Note from the secretariat:\nApproved at the 2026 Assembly." in approved.body
    assert "Welcome to the network." in approved.body


def test_a_stage_without_a_note_says_nothing_about_one(sofia, mailoutbox, decide):
    application = make_application()
    mailoutbox.clear()
    decide(services.application_advance, application, to_status=Status.UNDER_REVIEW)
    assert "Note from the secretariat" not in mailoutbox[0].body


def test_approving_clears_an_earlier_rejection_reason(sofia, decide, db):
    application = _at(Status.RECOMMENDED)
    # A reason typed in the admin for a rejection that was then not made.
    MembershipApplication.objects.filter(pk=application.pk).update(rejection_reason="Draft.")
    application.refresh_from_db()
    decide(services.application_approve, application)
    application.refresh_from_db()
    assert (application.status, application.rejection_reason) == (Status.APPROVED, "")


def test_advancing_clears_an_earlier_rejection_reason(sofia, decide, db):
    application = _at(Status.RECEIVED, reason="Draft.")
    decide(services.application_advance, application, to_status=Status.UNDER_REVIEW)
    application.refresh_from_db()
    assert application.rejection_reason == ""


# --- The privacy notice the form links to ---------------------------------------------------


@pytest.mark.parametrize("client_name", ["visitor", "ana_client", "sofia_client"])
def test_privacy_notice_is_public_and_names_the_laws(request, client_name, settings):
    response = request.getfixturevalue(client_name).get("/en/privacy/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Privacy notice</h1>" in html
    for text in ["Coordinator accounts", "Focal points", "Membership applications"]:
        assert text in html
    assert "Ley 25.326" in html
    assert "Lei 13.709/2018" in html
    assert "LGPD" in html
    assert f"mailto:{settings.CONTACT_EMAIL}" in html


@pytest.mark.parametrize(("path", "lang"), [("/privacy/", "es"), ("/pt-br/privacy/", "pt-br")])
def test_privacy_notice_answers_in_every_language(visitor, db, path, lang):
    response = visitor.get(path)
    assert response.status_code == 200
    assert f'<html lang="{lang}">' in response.content.decode()
