"""Search rows by case, then word: a search's other words are read for its few cases, not for every case."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("listings", "0009_listing_indexes"),
    ]

    # The new index first: MySQL keeps an index on the foreign key at all times.
    operations = [
        migrations.AddIndex(
            model_name="casesearchtoken",
            index=models.Index(fields=["case", "token"], name="search_case_token_idx"),
        ),
        migrations.AlterField(
            model_name="casesearchtoken",
            name="case",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="search_tokens",
                to="listings.case",
            ),
        ),
    ]
