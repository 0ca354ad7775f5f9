"""Each search row holds a copy of its case's place in the listings, so that a search filters and ranks its matches
from them."""

from django.db import migrations, models

# The case's publication in microseconds since 1970 (`search.published_key`), in each database's SQL; a published
# case without a date gets 0, as `search.listing_columns` gives it.
PUBLISHED_KEY = {
    "mysql": "TIMESTAMPDIFF(MICROSECOND, '1970-01-01 00:00:00', published_at)",
    "sqlite": (
        "CAST(strftime('%%s', published_at) AS INTEGER) * 1000000"
        " + CAST(substr(published_at || '.000000', 21, 6) AS INTEGER)"
    ),
}
# The last-seen date as Python's `date.toordinal()` (0001-01-01 is day 1).
LAST_SEEN_DAY = {
    "mysql": "TO_DAYS(last_seen_date) - 365",
    "sqlite": "CAST(julianday(last_seen_date) - 1721424.5 AS INTEGER)",
}


def copy_listing_columns(apps, schema_editor):
    Case = apps.get_model("listings", "Case")
    CaseSearchToken = apps.get_model("listings", "CaseSearchToken")
    connection = schema_editor.connection
    tokens, cases = (connection.ops.quote_name(model._meta.db_table) for model in (CaseSearchToken, Case))
    key, day = PUBLISHED_KEY[connection.vendor], LAST_SEEN_DAY[connection.vendor]
    of_case = f"FROM {cases} WHERE {cases}.id = {tokens}.case_id"
    # In SQL: a million rows at scale, each changed the same way.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {tokens} SET"
            f" case_status = (SELECT case_status {of_case}),"
            f" region = (SELECT region {of_case}),"
            f" age_at_disappearance = (SELECT age_at_disappearance {of_case}),"
            f" last_seen_day = (SELECT {day} {of_case}),"
            f" published_key = (SELECT CASE WHEN review_state = %s THEN COALESCE({key}, 0) END {of_case})",
            ["published"],
        )


class Migration(migrations.Migration):
    dependencies = [
        ("listings", "0014_search_regions_by_column"),
    ]

    operations = [
        migrations.AddField(
            model_name="casesearchtoken",
            name="case_status",
            field=models.CharField(
                choices=[("missing", "Missing"), ("found", "Found")], default="missing", max_length=10
            ),
        ),
        migrations.AddField(
            model_name="casesearchtoken",
            name="published_key",
            field=models.BigIntegerField(editable=False, null=True),
        ),
        migrations.AddField(
            model_name="casesearchtoken",
            name="region",
            field=models.CharField(
                blank=True,
                choices=[
                    ("avalon", "Avalon Peninsula"),
                    ("eastern", "Eastern Newfoundland"),
                    ("central", "Central Newfoundland"),
                    ("western", "Western Newfoundland"),
                    ("northern_peninsula", "Great Northern Peninsula"),
                    ("labrador", "Labrador"),
                ],
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="casesearchtoken",
            name="age_at_disappearance",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="casesearchtoken",
            name="last_seen_day",
            field=models.IntegerField(default=0),
        ),
        migrations.RunPython(copy_listing_columns, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="casesearchtoken",
            index=models.Index(
                fields=[
                    "token",
                    "case",
                    "published_key",
                    "case_status",
                    "region",
                    "age_at_disappearance",
                    "last_seen_day",
                ],
                name="search_token_listed_idx",
            ),
        ),
        migrations.RemoveIndex(
            model_name="casesearchtoken",
            name="search_token_idx",
        ),
    ]
