"""Funding calls and the cities' interest leave the experiences app for the funding app.

Only Django's record of the models changes here; the tables stay where they are, with their
names, and funding/0001 takes them over (with their content types, so permissions and the
admin's history follow)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("experiences", "0004_practice_status_id_index"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                # the interest first: it points at the call
                migrations.DeleteModel(name="FundingInterest"),
                migrations.DeleteModel(name="FundingCall"),
            ],
            database_operations=[],
        ),
    ]
