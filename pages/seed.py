"""The about and privacy pages as first written (pages/initial_pages.json); staff edits are never overwritten."""

import json
from pathlib import Path

INITIAL_PAGES = Path(__file__).resolve().parent / "initial_pages.json"


def ensure_pages(page_model):
    """Create each page that does not exist yet; return how many were created."""
    created = 0
    for entry in json.loads(INITIAL_PAGES.read_text(encoding="utf-8")):
        _, was_created = page_model.objects.get_or_create(
            slug=entry["slug"],
            defaults={
                "title": entry["title"],
                "title_en": entry["title"],
                "title_fr": entry["title_fr"],
                "body": entry["body"],
                "body_en": entry["body"],
                "body_fr": entry["body_fr"],
            },
        )
        created += was_created
    return created
