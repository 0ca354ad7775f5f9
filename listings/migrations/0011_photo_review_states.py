"""A photo's review state offers only the states a photo can be in: a photo is never withdrawn."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("listings", "0010_search_case_token_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="photo",
            name="review_state",
            field=models.CharField(
                choices=[("pending", "Pending review"), ("published", "Published"), ("rejected", "Rejected")],
                default="pending",
                max_length=10,
                verbose_name="review state",
            ),
        ),
    ]
