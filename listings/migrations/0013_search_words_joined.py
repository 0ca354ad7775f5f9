"""Each two words in a row of a case's names, place and region are also one search word ("cornerbrook", "oneil")."""

from django.core.cache import cache
from django.db import migrations


def add_joined_words(apps, schema_editor):
    # Only rows are added: the words each case already has stay as they are.
    from listings import search

    Case = apps.get_model("listings", "Case")
    CaseSearchToken = apps.get_model("listings", "CaseSearchToken")
    SearchName = apps.get_model("listings", "SearchName")
    cases = Case.objects.order_by("pk").only("first_name", "last_name", "nickname", "last_seen_place", "region")
    batch, names = [], set()
    for case in cases.iterator(chunk_size=1000):
        texts = [case.first_name, case.last_name, case.nickname, case.last_seen_place]
        separate = {word for text in texts for word in search.normalise(text)}
        joined = search.case_words(case) - separate
        batch.extend(CaseSearchToken(case_id=case.pk, token=word) for word in joined)
        names.update(word for word in joined if len(word) >= search.FUZZY_MIN_LENGTH - 1)
        if len(batch) >= 5000:
            CaseSearchToken.objects.bulk_create(batch)
            batch = []
    CaseSearchToken.objects.bulk_create(batch)
    SearchName.objects.bulk_create([SearchName(name=name) for name in names], ignore_conflicts=True, batch_size=2000)
    # Search keeps the list of names cached (search.NAMES_CACHE_KEY): drop it, so the new ones count at once.
    cache.delete("search:names")


class Migration(migrations.Migration):
    dependencies = [
        ("listings", "0012_search_names_of_places"),
    ]

    operations = [migrations.RunPython(add_joined_words, migrations.RunPython.noop)]
