"""The free text of each value is matched to the list of breakdowns without regard to case or
accents ("mujeres", "mulheres", "female" → women); a text that matches nothing, or a second
text landing on a group the same city, indicator and year already has, is kept as
`unmapped_breakdown` with no breakdown: never deleted. Each indicator gets the breakdowns
its official name lists ("… by sex and age")."""

from django.db import migrations

from mapping.models import BREAKDOWNS, breakdown_key, breakdown_spellings, default_breakdowns_for


def create_breakdowns(apps, schema_editor):
    Breakdown = apps.get_model("mapping", "Breakdown")
    for position, (code, es, pt, en, _aliases) in enumerate(BREAKDOWNS):
        Breakdown.objects.update_or_create(
            code=code,
            defaults={"name_es": es, "name_pt_br": pt, "name_en": en, "position": position},
        )
    Indicator = apps.get_model("mapping", "Indicator")
    for indicator in Indicator.objects.all():
        indicator.breakdowns.set(default_breakdowns_for(indicator.name_en))


def map_free_text(apps, schema_editor):
    Breakdown = apps.get_model("mapping", "Breakdown")
    IndicatorValue = apps.get_model("mapping", "IndicatorValue")
    spellings = breakdown_spellings(Breakdown.objects.all())
    taken = set()
    # the most recently updated value of a group wins it; the others stay unmapped
    for value in IndicatorValue.objects.order_by("-updated_at", "-pk").iterator():
        code = spellings.get(breakdown_key(value.breakdown_text))
        key = (value.city_id, value.indicator_id, value.year, code)
        if code is not None and key not in taken:
            taken.add(key)
            value.breakdown_id, value.unmapped_breakdown = code, ""
        else:
            value.breakdown_id, value.unmapped_breakdown = None, value.breakdown_text.strip()
        IndicatorValue.objects.filter(pk=value.pk).update(
            breakdown_id=value.breakdown_id, unmapped_breakdown=value.unmapped_breakdown
        )


def back_to_free_text(apps, schema_editor):
    IndicatorValue = apps.get_model("mapping", "IndicatorValue")
    for value in IndicatorValue.objects.iterator():
        text = value.breakdown_id or value.unmapped_breakdown
        IndicatorValue.objects.filter(pk=value.pk).update(breakdown_text=text)


class Migration(migrations.Migration):
    dependencies = [("mapping", "0005_breakdowns")]

    operations = [
        migrations.RunPython(create_breakdowns, migrations.RunPython.noop),
        migrations.RunPython(map_free_text, back_to_free_text),
    ]
