"""The secretariat's admin: cities, contacts, coordinators, applications and invitations."""

import csv
import datetime
import io

import pytest
from django.utils import timezone

from cities import services
from cities.models import (
    City,
    CityCoordinator,
    CoordinatorInvitation,
    FocalPoint,
    MembershipApplication,
    UnitRole,
    WorkingGroup,
)
from tests.factories import CityFactory, FocalPointFactory, make_application

Status = MembershipApplication.Status
ADMIN = "/en/admin/cities"
OLD = datetime.timedelta(days=400)


def at_stage(application, status):
    MembershipApplication.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()
    return application


@pytest.fixture
def act(sofia_client, django_capture_on_commit_callbacks):
    """Run a changelist action as the secretariat (e-mails sent after the commit)."""

    def run(model, action, objects, client=sofia_client):
        data = {"action": action, "_selected_action": [obj.pk for obj in objects]}
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(f"{ADMIN}/{model}/", data, follow=True)

    return run


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


# --- Who enters -----------------------------------------------------------------------------

ADMIN_PAGES = [
    "city/",
    "focalpoint/",
    "citycoordinator/",
    "unitrole/",
    "workinggroup/",
    "membershipapplication/",
    "coordinatorinvitation/",
]


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_secretariat_sees_every_admin_list(sofia_client, city_a, page):
    assert sofia_client.get(f"{ADMIN}/{page}").status_code == 200


@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_visitor_is_sent_to_log_in(visitor, db, page):
    response = visitor.get(f"{ADMIN}/{page}")
    assert response.status_code == 302
    assert "login" in response["Location"]


@pytest.mark.parametrize("page", [*ADMIN_PAGES, "city/{city}/invite/"])
def test_coordinator_never_enters_the_admin(ana_client, city_a, page):
    response = ana_client.get(f"{ADMIN}/{page.format(city=city_a.pk)}")
    assert response.status_code in (302, 403)
    assert b"Quilmes" not in response.content


# --- Cities ---------------------------------------------------------------------------------


def test_city_list_shows_country_status_role_and_verification(sofia_client, city_a, city_b):
    UnitRole.objects.create(city=city_a, role=UnitRole.Role.COORDINATOR, from_year=2023)
    UnitRole.objects.create(
        city=city_b, role=UnitRole.Role.SUB_COORDINATOR, from_year=2012, to_year=2012
    )
    response = sofia_client.get(f"{ADMIN}/city/")
    html = response.content.decode()
    assert "Quilmes" in html and "Porto Alegre" in html
    assert "Current role" in html
    rows = {row.name: row for row in response.context["cl"].result_list}
    assert [role.role for role in rows["Quilmes"].current] == ["coordinator"]
    assert rows["Porto Alegre"].current == []


def test_city_list_costs_the_same_queries_for_many_cities(
    sofia_client, city_a, django_assert_max_num_queries
):
    # Guards the N+1 of the "current role" column (one query per city without the prefetch).
    for number in range(30):
        city = CityFactory(name=f"Ciudad {number}", slug=f"ciudad-{number}-ar")
        UnitRole.objects.create(city=city, role=UnitRole.Role.COORDINATOR, from_year=2023)
    with django_assert_max_num_queries(14):
        assert sofia_client.get(f"{ADMIN}/city/").status_code == 200


def test_city_filters_include_working_group_and_stale_contacts(sofia_client, city_a, city_b):
    group = WorkingGroup.objects.create(
        slug="migrations", name_es="Migraciones", name_pt_br="Migrações", name_en="Migrations"
    )
    group.cities.add(city_b)
    FocalPointFactory(city=city_a, last_confirmed_on=timezone.localdate() - OLD)
    FocalPointFactory(city=city_b)

    def names(query):
        response = sofia_client.get(f"{ADMIN}/city/?{query}")
        return {city.name for city in response.context["cl"].result_list}

    assert names(f"working_groups__id__exact={group.pk}") == {"Porto Alegre"}
    assert names("stale=yes") == {"Quilmes"}
    assert names("stale=no") == {"Porto Alegre"}
    assert names("country=BR") == {"Porto Alegre"}
    assert names("status__exact=member") == {"Quilmes", "Porto Alegre"}


def test_focal_point_list_flags_and_filters_stale_contacts(sofia_client, city_a):
    old = FocalPointFactory(city=city_a, name="Old", last_confirmed_on=timezone.localdate() - OLD)
    FocalPointFactory(city=city_a, name="Fresh")
    response = sofia_client.get(f"{ADMIN}/focalpoint/?stale=yes")
    assert [fp.pk for fp in response.context["cl"].result_list] == [old.pk]
    response = sofia_client.get(f"{ADMIN}/focalpoint/?stale=no")
    assert [fp.name for fp in response.context["cl"].result_list] == ["Fresh"]


def test_export_csv_has_public_columns_only(act, city_a, city_b):
    FocalPointFactory(city=city_a, email="secret@quilmes.example", phone="+54 11 1111 1111")
    response = act("city", "export_csv", [city_a, city_b])
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["name"] for row in rows] == ["Quilmes", "Porto Alegre"]
    assert rows[0]["country"] == "AR"
    assert rows[0]["latitude"] == "-34.720650"
    body = response.content.decode()
    assert "secret@quilmes.example" not in body
    assert "+54 11 1111 1111" not in body
    assert not {"email", "phone", "focal_point"} & set(rows[0])


def test_export_csv_neutralises_spreadsheet_formulas(act, db):
    city = CityFactory(name="=HYPERLINK(1)", slug="formula-ar")
    response = act("city", "export_csv", [city])
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert rows[0]["name"] == "'=HYPERLINK(1)"


def test_city_inlines_show_focal_points_coordinators_and_roles(sofia_client, city_a, ana):
    FocalPointFactory(city=city_a, name="María Contact")
    html = sofia_client.get(f"{ADMIN}/city/{city_a.pk}/change/").content.decode()
    assert "María Contact" in html
    assert 'name="coordinators-0-user"' in html
    assert "unit_roles-TOTAL_FORMS" in html
    assert f"/admin/cities/city/{city_a.pk}/invite/" in html


def test_two_primary_contacts_are_refused_with_a_message(sofia_client, city_a):
    data = {
        "name": "Quilmes",
        "slug": "quilmes-ar",
        "country": "AR",
        "status": "member",
        "membership_verified": "on",
        "unit_roles-TOTAL_FORMS": "0",
        "unit_roles-INITIAL_FORMS": "0",
        "coordinators-TOTAL_FORMS": "0",
        "coordinators-INITIAL_FORMS": "0",
        "focal_points-TOTAL_FORMS": "2",
        "focal_points-INITIAL_FORMS": "0",
    }
    for index in range(2):
        data.update(
            {
                f"focal_points-{index}-name": f"Contact {index}",
                f"focal_points-{index}-is_primary": "on",
                f"focal_points-{index}-last_confirmed_on": "2025-01-01",
            }
        )
    response = sofia_client.post(f"{ADMIN}/city/{city_a.pk}/change/", data)
    assert response.status_code == 200
    assert "at most one primary contact" in response.content.decode()
    assert FocalPoint.objects.count() == 0


def test_working_group_admin_picks_cities_side_by_side(sofia_client, db):
    html = sofia_client.get(f"{ADMIN}/workinggroup/add/").content.decode()
    assert "selectfilter" in html


# --- Inviting a coordinator -----------------------------------------------------------------


def test_secretariat_invites_a_coordinator_from_the_city_page(
    sofia_client, sofia, city_a, mailoutbox, django_capture_on_commit_callbacks
):
    page = sofia_client.get(f"{ADMIN}/city/{city_a.pk}/invite/")
    assert page.status_code == 200
    assert "Invite a coordinator" in page.content.decode()
    data = {"email": "carla@quilmes.example", "name": "Carla", "language": "pt-br"}
    with django_capture_on_commit_callbacks(execute=True):
        response = sofia_client.post(f"{ADMIN}/city/{city_a.pk}/invite/", data)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/admin/cities/city/{city_a.pk}/change/")
    invitation = CoordinatorInvitation.objects.get()
    assert (invitation.email, invitation.language, invitation.invited_by) == (
        "carla@quilmes.example",
        "pt-br",
        sofia,
    )
    (mail,) = mailoutbox
    assert "/pt-br/cities/invitation/" in mail.body


@pytest.mark.parametrize(
    "data",
    [
        {"email": "not-an-address", "name": "Carla", "language": "es"},
        {"email": "carla@quilmes.example", "name": "", "language": "es"},
        {"email": "carla@quilmes.example", "name": "Carla", "language": "fr"},
        {"email": "ana@quilmes.example", "name": "Ana", "language": "es"},
    ],
)
def test_invite_page_shows_errors_and_sends_nothing(sofia_client, city_a, ana, mailoutbox, data):
    response = sofia_client.post(f"{ADMIN}/city/{city_a.pk}/invite/", data)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert CoordinatorInvitation.objects.count() == 0
    assert mailoutbox == []


def test_invite_page_for_an_unknown_city_is_404(sofia_client, db):
    assert sofia_client.get(f"{ADMIN}/city/999999/invite/").status_code in (302, 404)


def test_invite_action_needs_exactly_one_city(act, city_a, city_b):
    response = act("city", "invite_coordinator", [city_a, city_b])
    assert "Select exactly one city" in " ".join(messages_of(response))
    response = act("city", "invite_coordinator", [city_a])
    assert response.redirect_chain[-1][0].endswith(f"/admin/cities/city/{city_a.pk}/invite/")


def test_invitation_list_is_read_only_and_never_shows_the_token(sofia_client, sofia, city_a):
    invitation, token = services.invitation_send(
        city=city_a, email="carla@quilmes.example", name="Carla", language="es", by=sofia
    )
    listing = sofia_client.get(f"{ADMIN}/coordinatorinvitation/").content.decode()
    detail = sofia_client.get(f"{ADMIN}/coordinatorinvitation/{invitation.pk}/change/")
    assert detail.status_code == 200
    for html in (listing, detail.content.decode()):
        assert "carla@quilmes.example" in html
        assert token not in html
        assert invitation.token_hash not in html
    assert sofia_client.get(f"{ADMIN}/coordinatorinvitation/add/").status_code == 403
    changed = sofia_client.post(
        f"{ADMIN}/coordinatorinvitation/{invitation.pk}/change/", {"email": "x@example.org"}
    )
    assert changed.status_code == 403
    invitation.refresh_from_db()
    assert invitation.email == "carla@quilmes.example"


def test_send_again_action_issues_a_fresh_link(act, sofia, city_a, mailoutbox):
    invitation, _token = services.invitation_send(
        city=city_a, email="carla@quilmes.example", name="Carla", language="en", by=sofia
    )
    act("coordinatorinvitation", "send_again", [invitation])
    assert CoordinatorInvitation.objects.count() == 2
    invitation.refresh_from_db()
    assert invitation.is_expired
    assert len(mailoutbox) == 1


# --- Membership applications ----------------------------------------------------------------


def test_pending_filter_lists_undecided_applications(sofia_client, sofia, db):
    pending = make_application()
    decided = make_application(city_name="Paysandú")
    services.application_reject(application=decided, reason="Out of scope.", by=sofia)
    response = sofia_client.get(f"{ADMIN}/membershipapplication/?pending=yes")
    assert [app.pk for app in response.context["cl"].result_list] == [pending.pk]
    response = sofia_client.get(f"{ADMIN}/membershipapplication/?pending=no")
    assert [app.pk for app in response.context["cl"].result_list] == [decided.pk]


def test_actions_move_applications_through_every_stage(act, sofia, mailoutbox):
    application = make_application()
    mailoutbox.clear()
    for action, status in [
        ("advance_to_review", Status.UNDER_REVIEW),
        ("recommend", Status.RECOMMENDED),
        ("approve", Status.APPROVED),
    ]:
        response = act("membershipapplication", action, [application])
        application.refresh_from_db()
        assert application.status == status
        assert "1 application moved to" in " ".join(messages_of(response))
    assert list(application.stages.values_list("decided_by", flat=True)) == [None, *[sofia.pk] * 3]
    assert City.objects.get(slug="salto-uy").status == "member"
    assert CoordinatorInvitation.objects.get().email == "lucia@salto.example"
    assert len(mailoutbox) == 4


def test_approve_action_out_of_order_is_refused_with_a_readable_message(act, mailoutbox):
    application = make_application()
    mailoutbox.clear()
    response = act("membershipapplication", "approve", [application])
    text = " ".join(messages_of(response))
    assert "cannot move to “approved by the Assembly”" in text
    application.refresh_from_db()
    assert application.status == Status.RECEIVED
    assert not City.objects.filter(slug="salto-uy").exists()
    assert mailoutbox == []


def test_reject_action_needs_the_reason_written_first(act, sofia_client):
    application = make_application()
    response = act("membershipapplication", "reject", [application])
    assert "Give the reason for the rejection." in " ".join(messages_of(response))
    application.refresh_from_db()
    assert application.status == Status.RECEIVED
    MembershipApplication.objects.filter(pk=application.pk).update(
        rejection_reason="Not a city government."
    )
    act("membershipapplication", "reject", [application])
    application.refresh_from_db()
    assert application.status == Status.REJECTED
    assert application.stages.last().note == "Not a city government."


def change_form_data(response, **changes):
    """The change form's current values plus the inline management forms, as a browser posts."""
    form = response.context["adminform"].form
    data = {name: form.initial.get(name) or "" for name in form.fields}
    data["country"] = str(form.initial.get("country"))
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        data.update({management.add_prefix(k): v for k, v in management.initial.items()})
        for index, inline_form in enumerate(formset.forms):
            data[f"{formset.prefix}-{index}-id"] = inline_form.instance.pk
            data[f"{formset.prefix}-{index}-application"] = inline_form.instance.application_id
    data.update(changes)
    return data


def test_change_form_moves_to_the_next_stage_with_a_note(
    sofia_client, sofia, django_capture_on_commit_callbacks, mailoutbox
):
    application = make_application()
    url = f"{ADMIN}/membershipapplication/{application.pk}/change/"
    page = sofia_client.get(url)
    choices = [value for value, _label in page.context["adminform"].form.fields["decision"].choices]
    assert choices == ["", Status.UNDER_REVIEW, Status.REJECTED]
    data = change_form_data(page, decision=Status.UNDER_REVIEW, note="Complete file.")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = sofia_client.post(url, data)
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == Status.UNDER_REVIEW
    stage = application.stages.last()
    assert (stage.note, stage.decided_by) == ("Complete file.", sofia)
    assert len(mailoutbox) == 1


def decide_in_change_form(client, application, **changes):
    """Posts the application's admin change form as shown, with `changes` (the decision, …)."""
    url = f"{ADMIN}/membershipapplication/{application.pk}/change/"
    return client.post(url, change_form_data(client.get(url), **changes))


def test_change_form_rejection_without_reason_shows_an_error(sofia_client):
    application = make_application()
    response = decide_in_change_form(sofia_client, application, decision=Status.REJECTED)
    assert response.status_code == 200
    assert "Give the reason for the rejection." in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.RECEIVED


def test_change_form_rejection_with_reason_rejects(sofia_client):
    application = make_application()
    response = decide_in_change_form(
        sofia_client, application, decision=Status.REJECTED, rejection_reason="Not eligible."
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert (application.status, application.rejection_reason) == (Status.REJECTED, "Not eligible.")


def test_change_form_refuses_a_stage_out_of_order(sofia_client):
    application = make_application()
    response = decide_in_change_form(sofia_client, application, decision=Status.APPROVED)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["decision"]
    application.refresh_from_db()
    assert application.status == Status.RECEIVED


def test_decided_application_is_read_only_with_its_history(sofia_client, sofia):
    application = make_application()
    services.application_reject(application=application, reason="Out of scope.", by=sofia)
    response = sofia_client.get(f"{ADMIN}/membershipapplication/{application.pk}/change/")
    form = response.context["adminform"].form
    assert "city_name" not in form.fields
    html = response.content.decode()
    assert 'name="decision"' not in html
    assert 'name="rejection_reason"' not in html
    assert "Out of scope." in html
    assert "stages-TOTAL_FORMS" in html


def test_applications_are_never_added_by_hand(sofia_client, db):
    assert sofia_client.get(f"{ADMIN}/membershipapplication/add/").status_code == 403


def test_coordinator_admin_links_users_and_cities(sofia_client, ana, city_a):
    response = sofia_client.get(f"{ADMIN}/citycoordinator/")
    assert [link.user for link in response.context["cl"].result_list] == [ana]
    assert CityCoordinator.objects.count() == 1


# --- The unit path in the admin -------------------------------------------------------------

Kind = MembershipApplication.Kind


def test_list_names_the_path_and_the_stage_in_its_words(sofia_client, sofia):
    unit = make_application(kind=Kind.UNIT)
    services.application_approve(application=unit, by=sofia)
    make_application(city_name="Paysandú")
    response = sofia_client.get(f"{ADMIN}/membershipapplication/?kind=unit")
    assert [app.pk for app in response.context["cl"].result_list] == [unit.pk]
    html = response.content.decode()
    assert "take part in the unit (a city already in Mercociudades)" in html
    assert "confirmed by the secretariat" in html


def test_confirm_action_confirms_unit_requests_only(act, sofia, mailoutbox):
    unit = make_application(kind=Kind.UNIT)
    network = make_application(city_name="Paysandú")
    mailoutbox.clear()
    response = act("membershipapplication", "confirm_in_unit", [unit, network])
    text = " ".join(messages_of(response))
    assert "1 application moved to “confirmed by the secretariat”." in text
    assert "Paysandú (UY) applies to join Mercociudades" in text
    unit.refresh_from_db()
    network.refresh_from_db()
    assert (unit.status, network.status) == (Status.APPROVED, Status.RECEIVED)
    assert CoordinatorInvitation.objects.get().city == unit.city


def test_change_form_of_a_unit_request_offers_the_confirmation_at_once(sofia_client):
    application = make_application(kind=Kind.UNIT)
    page = sofia_client.get(f"{ADMIN}/membershipapplication/{application.pk}/change/")
    choices = page.context["adminform"].form.fields["decision"].choices
    assert choices == [
        ("", "No change"),
        (Status.APPROVED, "confirmed by the secretariat"),
        (Status.REJECTED, "rejected"),
    ]


def test_the_roles_list_marks_the_roles_covering_this_year(sofia_client, city_a, city_b):
    year = timezone.localdate().year
    UnitRole.objects.create(city=city_a, role=UnitRole.Role.COORDINATOR, from_year=year - 1)
    UnitRole.objects.create(
        city=city_b, role=UnitRole.Role.COORDINATOR, from_year=2012, to_year=2012
    )
    response = sofia_client.get(f"{ADMIN}/unitrole/")
    assert "Covers this year" in response.content.decode()
    rows = {role.city.name: role for role in response.context["cl"].result_list}
    admin = response.context["cl"].model_admin
    assert admin.is_current(rows["Quilmes"]) and not admin.is_current(rows["Porto Alegre"])
