"""Every work plan has a last year. Existing plans get one from their data: a plan followed
by another ends the year before the next begins; the 2012 plan covers 2012 only (the year
of that coordination, data/reference/SOURCES.md); a last plan left open ends with the latest
year it has a review note for, or its first year."""

from django.db import migrations, models
from django.db.models import Max, Q

FIRST_PLAN_YEAR = 2012


def fill_end_years(apps, schema_editor):
    WorkPlan = apps.get_model("unit", "WorkPlan")
    ReviewNote = apps.get_model("unit", "ReviewNote")
    plans = list(WorkPlan.objects.order_by("start_year"))
    for plan, following in zip(plans, [*plans[1:], None], strict=False):
        if plan.end_year is not None:
            continue
        if following is not None:
            plan.end_year = max(plan.start_year, following.start_year - 1)
        elif plan.start_year == FIRST_PLAN_YEAR:
            plan.end_year = FIRST_PLAN_YEAR
        else:
            noted = ReviewNote.objects.filter(line__plan=plan).aggregate(last=Max("year"))
            plan.end_year = max(plan.start_year, noted["last"] or plan.start_year)
        plan.save(update_fields=["end_year"])
    # The rows' deferred foreign-key checks run now, so that the same transaction may alter
    # the table next (PostgreSQL refuses while trigger events are pending).
    schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


class Migration(migrations.Migration):
    dependencies = [("unit", "0001_initial")]

    operations = [
        migrations.RunPython(fill_end_years, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="workplan", name="unit_workplan_period_order"),
        migrations.AlterField(
            model_name="workplan",
            name="end_year",
            field=models.PositiveSmallIntegerField(
                help_text="The last year the plan covers (the first, for one year).",
                verbose_name="last year",
            ),
        ),
        migrations.AddConstraint(
            model_name="workplan",
            constraint=models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")),
                name="unit_workplan_period_order",
            ),
        ),
    ]
