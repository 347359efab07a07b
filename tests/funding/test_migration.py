"""The move of funding calls from experiences to their own app (experiences/0005 and
funding/0001) on a database made before it: the calls, their themes and lines, the cities'
interest, the permissions and the admin's history are all still there afterwards."""

import datetime

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from funding.models import FundingCall, FundingInterest
from tests.factories import UserFactory
from unit.models import LineOfWork, WorkPlan

# The last migrations before the move; every other app stays where it is.
# The call written before the move, and read back after it.
INCLUSIVE_CITIES_CALL = {
    "funder": "Unión Europea",
    "title": "Ciudades inclusivas",
    "slug": "ciudades-inclusivas",
    "summary": "Fondos para proyectos conjuntos.",
    "eligible_countries": "AR,BR",
    "amount_min": 10000,
    "amount_max": 50000,
    "currency": "EUR",
    "opens_on": datetime.date(2026, 1, 1),
    "closes_on": datetime.date(2026, 12, 31),
    "link": "https://funder.example/call",
}
BEFORE_THE_MOVE = [("experiences", "0004_practice_status_id_index"), ("funding", None)]
TABLES = {
    "experiences_fundingcall",
    "experiences_fundingcall_themes",
    "experiences_fundingcall_lines",
    "experiences_fundinginterest",
}


def migrate(targets):
    """Apply or unapply migrations up to `targets`; the app registry of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    ContentType.objects.clear_cache()
    return executor.loader.project_state(list(executor.loader.applied_migrations)).apps


def migrate_to_latest():
    return migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


@pytest.fixture
def before_the_move(db):
    """Migrations rolled back to before the move for the test, forward again after it."""
    old_apps = migrate(BEFORE_THE_MOVE)
    yield old_apps
    migrate_to_latest()


@pytest.fixture
def lines(db):
    plan = WorkPlan.objects.create(
        start_year=2012, end_year=2012, title_es="Plan", title_pt_br="Plano", title_en="Plan"
    )
    return [
        LineOfWork.objects.create(
            plan=plan, number=number, slug=slug, title_es=title, title_en=title
        )
        for number, (slug, title) in enumerate(
            [("2012-financiamiento", "Funding"), ("2012-ninez", "Children")], start=1
        )
    ]


def old_call_content_type(old_apps):
    """The content type funding calls had before the move (the experiences app's)."""
    OldContentType = old_apps.get_model("contenttypes", "ContentType")
    return OldContentType.objects.get_or_create(app_label="experiences", model="fundingcall")[0]


def make_old_calls(old_apps, *, themes, lines, city, coordinator, sofia):
    """Two calls, an interest and an admin log entry written with the models as they were
    before the move (the experiences app's). Returns (call, log entry)."""
    OldCall = old_apps.get_model("experiences", "FundingCall")
    OldInterest = old_apps.get_model("experiences", "FundingInterest")
    OldLogEntry = old_apps.get_model("admin", "LogEntry")
    call = OldCall.objects.create(**INCLUSIVE_CITIES_CALL)
    call.themes.set([themes["migration"].pk, themes["gender"].pk])
    call.lines.set([line.pk for line in lines])
    OldCall.objects.create(
        funder="BID",
        title="Niñez",
        slug="ninez",
        summary="Fondos para la niñez.",
        opens_on=datetime.date(2026, 2, 1),
        closes_on=datetime.date(2026, 3, 1),
        link="https://funder.example/ninez",
    )
    OldInterest.objects.create(
        call=call, city_id=city.pk, marked_by_id=coordinator.pk, note="Socios"
    )
    content_type = old_call_content_type(old_apps)
    entry = OldLogEntry.objects.create(
        user_id=sofia.pk,
        content_type=content_type,
        object_id=str(call.pk),
        object_repr=call.title,
        action_flag=CHANGE,
        change_message="Cambió el resumen.",
    )
    return call, entry


def grant_old_permission(old_apps, user, codename):
    """A group holding the experiences app's `codename` permission, with `user` in it."""
    OldPermission = old_apps.get_model("auth", "Permission")
    OldGroup = old_apps.get_model("auth", "Group")
    content_type = old_call_content_type(old_apps)
    permission, _created = OldPermission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": codename}
    )
    group = OldGroup.objects.create(name="Funding editors")
    group.permissions.add(permission)
    old_apps.get_model("accounts", "User").objects.get(pk=user.pk).groups.add(group)


def assert_everything_kept(call_pk, entry_pk, themes, lines, city, coordinator, editor):
    assert {row[0] for row in _tables()} >= TABLES
    call = FundingCall.objects.get(pk=call_pk)
    expected = INCLUSIVE_CITIES_CALL
    assert (call.title, call.funder, call.currency) == (
        expected["title"],
        expected["funder"],
        expected["currency"],
    )
    assert [country.code for country in call.eligible_countries] == ["AR", "BR"]
    assert set(call.themes.all()) == {themes["migration"], themes["gender"]}
    assert set(call.lines.all()) == set(lines)
    assert set(lines[0].funding_calls.all()) == {call}
    assert FundingCall.objects.count() == 2
    interest = FundingInterest.objects.get()
    assert (interest.call, interest.city, interest.marked_by) == (call, city, coordinator)
    assert interest.note == "Socios"
    # the admin's history of the call points at the funding app's model
    entry = LogEntry.objects.get(pk=entry_pk)
    assert entry.content_type == ContentType.objects.get_for_model(FundingCall)
    assert entry.content_type.app_label == "funding"
    assert entry.get_edited_object() == call
    assert not ContentType.objects.filter(app_label="experiences", model__startswith="funding")
    # permissions follow their content type, and so do the groups holding them
    editor.refresh_from_db()
    assert editor.has_perm("funding.change_fundingcall")
    assert not editor.has_perm("experiences.change_fundingcall")
    assert Group.objects.get(name="Funding editors").permissions.get().content_type.app_label == (
        "funding"
    )


def _tables():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        )
        return cursor.fetchall()


@pytest.mark.django_db(transaction=True)
def test_move_keeps_calls_themes_lines_interests_permissions_and_history(
    before_the_move, themes, lines, city_a, ana, sofia, sofia_client
):
    old_apps = before_the_move
    # as on a database made before the move, the content types are the experiences app's
    labels = old_apps.get_model("contenttypes", "ContentType").objects.filter(model="fundingcall")
    assert list(labels.values_list("app_label", flat=True)) == ["experiences"]
    editor = UserFactory(email="editor@utds.example")
    call, entry = make_old_calls(
        old_apps, themes=themes, lines=lines, city=city_a, coordinator=ana, sofia=sofia
    )
    grant_old_permission(old_apps, editor, "change_fundingcall")

    migrate_to_latest()

    assert_everything_kept(call.pk, entry.pk, themes, lines, city_a, ana, editor)
    assert not [name for (name,) in _tables() if name.startswith("funding_")]
    history = sofia_client.get(f"/en/admin/funding/fundingcall/{call.pk}/history/")
    assert history.status_code == 200
    assert "Cambió el resumen." in history.content.decode()
    assert sofia_client.get(f"/en/funding/{call.slug}/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_move_merges_a_content_type_the_new_code_made_before_migrating(
    before_the_move, themes, lines, city_a, ana, sofia
):
    # A page served by the new code before `migrate` ran may have made funding's content
    # type already: the old one's log entries and permissions move onto it.
    old_apps = before_the_move
    OldContentType = old_apps.get_model("contenttypes", "ContentType")
    OldPermission = old_apps.get_model("auth", "Permission")
    early = OldContentType.objects.create(app_label="funding", model="fundingcall")
    OldPermission.objects.create(content_type=early, codename="change_fundingcall", name="x")
    editor = UserFactory(email="editor@utds.example")
    call, entry = make_old_calls(
        old_apps, themes=themes, lines=lines, city=city_a, coordinator=ana, sofia=sofia
    )
    grant_old_permission(old_apps, editor, "change_fundingcall")

    migrate_to_latest()

    assert ContentType.objects.get_for_model(FundingCall).pk == early.pk
    assert_everything_kept(call.pk, entry.pk, themes, lines, city_a, ana, editor)
    assert Permission.objects.filter(codename="change_fundingcall").count() == 1
