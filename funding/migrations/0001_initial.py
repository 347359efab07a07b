"""The funding app takes over the funding call tables that experiences/0002 and 0003 created.

No table is created or renamed (each model keeps its `db_table`, the many-to-many tables
too): Django's record of the models moves from experiences to funding, and the content
types follow, so the permissions, the admin's log entries and anything else pointing at
them keep working. On a new database the tables come from the experiences migrations,
which run first."""

import django.db.models.deletion
import django_countries.fields
from django.conf import settings
from django.db import migrations, models

MODELS = ("fundingcall", "fundinginterest")


def move_content_types(apps, from_label, to_label):
    """Give the funding models' content types their new app label. When the new code has
    already made its own content type (a page asked for it before the migration ran), the
    old one's permissions, log entries and other references move onto it."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    for model in MODELS:
        old = ContentType.objects.filter(app_label=from_label, model=model).first()
        if old is None:
            continue
        new = ContentType.objects.filter(app_label=to_label, model=model).first()
        if new is None:
            old.app_label = to_label
            old.save(update_fields=["app_label"])
            continue
        for permission in Permission.objects.filter(content_type=old):
            twin = Permission.objects.filter(content_type=new, codename=permission.codename)
            twin = twin.first()
            if twin is None:
                permission.content_type = new
                permission.save(update_fields=["content_type"])
                continue
            for group in permission.group_set.all():
                group.permissions.add(twin)
            for user in permission.user_set.all():
                user.user_permissions.add(twin)
            permission.delete()
        for relation in ContentType._meta.related_objects:
            if relation.related_model is Permission or relation.many_to_many:
                continue
            name = relation.field.name
            relation.related_model._base_manager.filter(**{name: old}).update(**{name: new})
        old.delete()


def forwards(apps, schema_editor):
    move_content_types(apps, "experiences", "funding")


def backwards(apps, schema_editor):
    move_content_types(apps, "funding", "experiences")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("cities", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("experiences", "0005_move_funding_calls_to_funding"),
        ("unit", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="FundingCall",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "funder",
                            models.CharField(
                                help_text="The agency, bank or foundation that funds.",
                                max_length=200,
                                verbose_name="funder",
                            ),
                        ),
                        ("title", models.CharField(max_length=200, verbose_name="title")),
                        (
                            "slug",
                            models.SlugField(max_length=220, unique=True, verbose_name="slug"),
                        ),
                        (
                            "summary",
                            models.TextField(
                                help_text="What the call funds, who may apply and how (Markdown).",
                                max_length=5000,
                                verbose_name="summary",
                            ),
                        ),
                        (
                            "eligible_countries",
                            django_countries.fields.CountryField(
                                blank=True,
                                help_text="Leave empty when cities of every country may apply.",
                                max_length=746,
                                multiple=True,
                                verbose_name="eligible countries",
                            ),
                        ),
                        (
                            "amount_min",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                max_digits=16,
                                null=True,
                                verbose_name="minimum amount",
                            ),
                        ),
                        (
                            "amount_max",
                            models.DecimalField(
                                blank=True,
                                decimal_places=2,
                                max_digits=16,
                                null=True,
                                verbose_name="maximum amount",
                            ),
                        ),
                        (
                            "currency",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("ARS", "Argentine peso (ARS)"),
                                    ("BRL", "Brazilian real (BRL)"),
                                    ("UYU", "Uruguayan peso (UYU)"),
                                    ("PYG", "Paraguayan guaraní (PYG)"),
                                    ("CLP", "Chilean peso (CLP)"),
                                    ("BOB", "Bolivian boliviano (BOB)"),
                                    ("PEN", "Peruvian sol (PEN)"),
                                    ("COP", "Colombian peso (COP)"),
                                    ("USD", "US dollar (USD)"),
                                    ("EUR", "euro (EUR)"),
                                ],
                                max_length=3,
                                verbose_name="currency",
                            ),
                        ),
                        ("opens_on", models.DateField(verbose_name="opens on")),
                        ("closes_on", models.DateField(verbose_name="closes on")),
                        (
                            "link",
                            models.URLField(
                                help_text="The funder's page of the call.",
                                max_length=500,
                                verbose_name="link",
                            ),
                        ),
                        (
                            "is_sample",
                            models.BooleanField(
                                default=False,
                                help_text="Demonstration content, not a real call.",
                                verbose_name="sample",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created"),
                        ),
                        (
                            "updated_at",
                            models.DateTimeField(auto_now=True, verbose_name="updated"),
                        ),
                        (
                            "lines",
                            models.ManyToManyField(
                                blank=True,
                                db_table="experiences_fundingcall_lines",
                                help_text="The lines of the unit's work plan this serves.",
                                related_name="funding_calls",
                                to="unit.lineofwork",
                                verbose_name="lines of work",
                            ),
                        ),
                        (
                            "themes",
                            models.ManyToManyField(
                                blank=True,
                                db_table="experiences_fundingcall_themes",
                                related_name="funding_calls",
                                to="experiences.theme",
                                verbose_name="themes",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "funding call",
                        "verbose_name_plural": "funding calls",
                        "db_table": "experiences_fundingcall",
                        "ordering": ["-closes_on", "title"],
                        "indexes": [
                            models.Index(
                                fields=["opens_on", "closes_on"],
                                name="experiences_fundingcall_dates",
                            )
                        ],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("closes_on__gte", models.F("opens_on"))),
                                name="experiences_fundingcall_dates_order",
                                violation_error_message=(
                                    "The closing date cannot be before the opening date."
                                ),
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("amount_min__isnull", True),
                                    ("amount_max__isnull", True),
                                    ("amount_max__gte", models.F("amount_min")),
                                    _connector="OR",
                                ),
                                name="experiences_fundingcall_amounts_order",
                                violation_error_message=(
                                    "The maximum amount cannot be smaller than the minimum amount."
                                ),
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(
                                        ("amount_min__isnull", True),
                                        ("amount_min__gte", 0),
                                        _connector="OR",
                                    ),
                                    models.Q(
                                        ("amount_max__isnull", True),
                                        ("amount_max__gte", 0),
                                        _connector="OR",
                                    ),
                                ),
                                name="experiences_fundingcall_amounts_not_negative",
                                violation_error_message="Amounts cannot be negative.",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="FundingInterest",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "note",
                            models.CharField(
                                blank=True,
                                help_text="For example, the partners you are looking for.",
                                max_length=300,
                                verbose_name="note",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, verbose_name="created"),
                        ),
                        (
                            "call",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="interests",
                                to="funding.fundingcall",
                                verbose_name="funding call",
                            ),
                        ),
                        (
                            "city",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="funding_interests",
                                to="cities.city",
                                verbose_name="city",
                            ),
                        ),
                        (
                            "marked_by",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="marked by",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "interest in a funding call",
                        "verbose_name_plural": "interests in funding calls",
                        "db_table": "experiences_fundinginterest",
                        "ordering": ["call", "city__name"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("call", "city"),
                                name="experiences_fundinginterest_one_per_city",
                                violation_error_message=(
                                    "This city already marked its interest in the call."
                                ),
                            ),
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(forwards, backwards),
    ]
