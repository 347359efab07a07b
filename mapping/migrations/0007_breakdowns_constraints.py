"""The old free-text column goes; every value now has a breakdown of the list or keeps its
unmatched text (see 0006)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("mapping", "0006_breakdowns_data")]

    operations = [
        migrations.RemoveField(model_name="indicatorvalue", name="breakdown_text"),
        migrations.AlterField(
            model_name="indicatorvalue",
            name="breakdown",
            field=models.ForeignKey(
                blank=True,
                default="total",
                help_text="Empty only for a group of the old free text that matched no breakdown.",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="values",
                to="mapping.breakdown",
                verbose_name="breakdown",
            ),
        ),
        migrations.AddConstraint(
            model_name="indicatorvalue",
            constraint=models.UniqueConstraint(
                fields=("city", "indicator", "year", "breakdown"),
                name="mapping_indicatorvalue_key",
            ),
        ),
        migrations.AddConstraint(
            model_name="indicatorvalue",
            constraint=models.UniqueConstraint(
                condition=models.Q(("breakdown__isnull", True)),
                fields=("city", "indicator", "year", "unmapped_breakdown"),
                name="mapping_indicatorvalue_unmapped_key",
            ),
        ),
        migrations.AddConstraint(
            model_name="indicatorvalue",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("breakdown__isnull", False), ("unmapped_breakdown", "")),
                    models.Q(
                        ("breakdown__isnull", True),
                        models.Q(("unmapped_breakdown", ""), _negated=True),
                    ),
                    _connector="OR",
                ),
                name="mapping_indicatorvalue_breakdown_or_unmapped",
            ),
        ),
    ]
