"""A region's names are no longer search rows of every case in it: search finds the region by the case's column."""

from django.db import migrations


def drop_region_words(apps, schema_editor):
    from listings import search

    Case = apps.get_model("listings", "Case")
    CaseSearchToken = apps.get_model("listings", "CaseSearchToken")
    words = search.region_words()
    # A word of the region's names that is also a case's own ("labrador" of the place "Labrador City") stays.
    own = []
    cases = Case.objects.order_by("pk").only("first_name", "last_name", "nickname", "last_seen_place", "region")
    for case in cases.iterator(chunk_size=2000):
        own.extend((case.pk, word) for word in search.case_words(case) & words.get(case.region, set()))
    # In SQL: a queryset's delete() would load every row first, to send the signals of each (a million at scale).
    connection = schema_editor.connection
    tokens, cases = (connection.ops.quote_name(model._meta.db_table) for model in (CaseSearchToken, Case))
    with connection.cursor() as cursor:
        for region, region_words in words.items():
            cursor.execute(
                f"DELETE FROM {tokens} WHERE token IN ({', '.join(['%s'] * len(region_words))})"
                f" AND case_id IN (SELECT id FROM {cases} WHERE region = %s)",
                [*sorted(region_words), region],
            )
    CaseSearchToken.objects.bulk_create(
        [CaseSearchToken(case_id=case_id, token=word) for case_id, word in own], batch_size=5000
    )


class Migration(migrations.Migration):
    dependencies = [
        ("listings", "0013_search_words_joined"),
    ]

    operations = [migrations.RunPython(drop_region_words, migrations.RunPython.noop)]
