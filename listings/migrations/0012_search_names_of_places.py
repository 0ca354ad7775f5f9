"""Place and region words join the names a query word with one typo is matched against ("Stephenvile")."""

from django.core.cache import cache
from django.db import migrations


def add_place_words(apps, schema_editor):
    # The search rows already hold every word of every case: its names, place and region. Four letters or
    # more: the shortest name a five-letter query word can be one typo from (search.FUZZY_MIN_LENGTH - 1).
    CaseSearchToken = apps.get_model("listings", "CaseSearchToken")
    SearchName = apps.get_model("listings", "SearchName")
    words = CaseSearchToken.objects.values_list("token", flat=True).distinct().iterator()
    SearchName.objects.bulk_create(
        (SearchName(name=word) for word in words if len(word) >= 4), ignore_conflicts=True, batch_size=2000
    )
    # Search keeps the list of names cached (search.NAMES_CACHE_KEY): drop it, so the new ones count at once.
    cache.delete("search:names")


class Migration(migrations.Migration):
    dependencies = [
        ("listings", "0011_photo_review_states"),
    ]

    operations = [migrations.RunPython(add_place_words, migrations.RunPython.noop)]
