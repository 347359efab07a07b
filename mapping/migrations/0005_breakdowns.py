"""Breakdowns become a fixed list (issue 18), in three steps so that no table is altered
while the data step's checks are pending (PostgreSQL): 0005 adds the list and the new
columns beside the old text, 0006 moves the data, 0007 drops the text and adds the
constraints."""

import django.db.models.deletion
from django.db import migrations, models

import core.translation


class Migration(migrations.Migration):
    dependencies = [
        ("cities", "0001_initial"),
        ("mapping", "0004_indicator_kind_and_range"),
    ]

    operations = [
        migrations.CreateModel(
            name="Breakdown",
            fields=[
                (
                    "code",
                    models.SlugField(
                        max_length=20, primary_key=True, serialize=False, verbose_name="code"
                    ),
                ),
                ("name_es", models.CharField(max_length=80, verbose_name="name (Spanish)")),
                ("name_pt_br", models.CharField(max_length=80, verbose_name="name (Portuguese)")),
                ("name_en", models.CharField(max_length=80, verbose_name="name (English)")),
                (
                    "position",
                    models.PositiveSmallIntegerField(
                        default=0, verbose_name="position in the list"
                    ),
                ),
            ],
            options={
                "verbose_name": "breakdown",
                "verbose_name_plural": "breakdowns",
                "ordering": ["position", "code"],
            },
            bases=(core.translation.LocalizedNameMixin, models.Model),
        ),
        migrations.AddField(
            model_name="indicator",
            name="breakdowns",
            field=models.ManyToManyField(
                blank=True,
                help_text="The groups the profile asks for besides the total.",
                related_name="indicators",
                to="mapping.breakdown",
                verbose_name="breakdowns",
            ),
        ),
        migrations.RemoveConstraint(model_name="indicatorvalue", name="mapping_indicatorvalue_key"),
        migrations.RenameField(
            model_name="indicatorvalue", old_name="breakdown", new_name="breakdown_text"
        ),
        migrations.AddField(
            model_name="indicatorvalue",
            name="breakdown",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="values",
                to="mapping.breakdown",
                verbose_name="breakdown",
            ),
        ),
        migrations.AddField(
            model_name="indicatorvalue",
            name="unmapped_breakdown",
            field=models.CharField(
                blank=True,
                help_text="The text given for a group that is not on the list of breakdowns.",
                max_length=40,
                verbose_name="unmapped breakdown",
            ),
        ),
    ]
