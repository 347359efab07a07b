from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("experiences", "0003_fundingcall_lines_practice_lines"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="practice",
            index=models.Index(
                fields=["status", "id"],
                include=["city", "published_at"],
                name="experiences_practice_status_id",
            ),
        ),
    ]
