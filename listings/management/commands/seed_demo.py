"""manage.py seed_demo: clearly fictional cases, real help resources and two demo accounts for a local run."""

import datetime
import io
import json
import secrets
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from PIL import Image, ImageDraw, ImageFont

from listings import moderation
from listings.demo_scale import seed_scale
from listings.images import process_photo
from listings.models import Case, Resource, ResourceCategory
from listings.roles import ensure_moderators_group
from listings.submissions import submit_case
from pages.models import Page
from pages.seed import ensure_pages

MODERATOR_USERNAME = "moderator"
MEMBER_USERNAME = "demo-member"
DEMO_FILE_PREFIX = "DEMO-"

# The people and resources live in a data file. The people carry invented surnames nobody has,
# so no demo case can be mistaken for a real person; the resources are the province's real ones.
DEMO_DATA = Path(__file__).resolve().parents[2] / "demo_data.json"
PUBLISHED, FOUND, REJECTED = "published", "found", "rejected"

DEMO_FEATURE = "Demo data: an invented detail, such as a small anchor tattoo on the left wrist."
EYES = ["Brown", "Blue", "Green", "Hazel", "Grey"]
HAIR = ["Black", "Brown", "Auburn", "Blond", "Grey", "Red"]
BACKGROUNDS = [
    (214, 228, 240),
    (232, 222, 240),
    (222, 238, 226),
    (244, 232, 214),
    (240, 220, 224),
    (224, 234, 236),
]


def load_demo_data():
    with DEMO_DATA.open(encoding="utf-8") as stream:
        return json.load(stream)


def demo_file_number(index):
    return f"{DEMO_FILE_PREFIX}{index:03d}"


def placeholder_portrait(first_name, last_name, index):
    """A soft abstract silhouette with initials; deliberately no face."""
    width, height = 600, 750
    background = BACKGROUNDS[index % len(BACKGROUNDS)]
    shade = tuple(max(0, channel - 70) for channel in background)
    image = Image.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(image)
    draw.ellipse((200, 150, 400, 370), fill=shade)  # head
    draw.rounded_rectangle((110, 400, 490, 820), radius=150, fill=shade)  # shoulders
    initials = f"{first_name[:1]}{last_name[:1]}".upper()
    try:
        large, small = ImageFont.load_default(size=96), ImageFont.load_default(size=48)
    except TypeError:  # Pillow built without FreeType
        large = small = ImageFont.load_default()
    draw.text((width / 2, 560), initials, fill=background, font=large, anchor="mm")
    draw.text((width / 2, 660), "DEMO", fill=background, font=small, anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return SimpleUploadedFile(f"demo-{index:03d}.png", buffer.getvalue(), content_type="image/png")


def demo_fields(index, person):
    first_name, last_name, age = person["first_name"], person["last_name"], person["age"]
    return {
        "first_name": first_name,
        "last_name": last_name,
        "age_at_disappearance": age,
        "sex": person["sex"],
        "height_cm": None if age < 12 else 150 + (index * 7) % 45,
        "weight_kg": None if age < 12 else 50 + (index * 11) % 45,
        "eye_colour": EYES[index % len(EYES)],
        "hair_colour": HAIR[index % len(HAIR)],
        "distinguishing_features": DEMO_FEATURE if index % 3 == 0 else "",
        "last_seen_date": timezone.localdate() - datetime.timedelta(days=person["days_ago"]),
        "last_seen_place": person["last_seen_place"],
        "region": person["region"],
        "circumstances": (
            f"Demo case — {first_name} {last_name} is a fictional person created by the seed_demo command to "
            "show how a listing looks. Last seen leaving on foot in the late afternoon, wearing a dark rain "
            "jacket. Nothing here describes a real person or a real investigation."
        ),
        "police_file_number": demo_file_number(index),
        "investigating_agency": "Demo police service (fictional)",
        "agency_phone": f"709-555-01{index:02d}",
        "is_demo": True,
    }


class Command(BaseCommand):
    help = (
        "Load demo data for a local run: about two dozen clearly fictional cases (invented surnames, "
        "“Demo” in every text, generated placeholder pictures, file numbers DEMO-001…), the real help "
        "resources of the province, the Moderators group, a staff account “moderator” in it and a member "
        "account “demo-member”. Running it again creates nothing new. Passwords are generated and printed "
        "once, when an account is created; use --reset-password to set and print new ones. "
        "--clear removes the demo cases and their photos instead (preview it with --dry-run)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset-password",
            action="store_true",
            help="Give the existing demo accounts new generated passwords and print them.",
        )
        parser.add_argument(
            "--clear",
            action="store_true",
            help="Delete every demo case (is_demo) with its photos and stored files, then stop.",
        )
        parser.add_argument(
            "--scale",
            type=int,
            metavar="N",
            help="Only add N generated fictional cases (no photos, no accounts), to measure the site at scale.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="With --clear: only report what would be deleted.",
        )

    def handle(self, *args, reset_password, clear, dry_run, scale=None, **options):
        if dry_run and not clear:
            raise CommandError("--dry-run only applies to --clear.")
        if clear:
            self.clear(dry_run=dry_run)
            return
        if scale is not None:
            if scale < 1:
                raise CommandError("--scale needs a number of cases, 1 or more.")
            created = seed_scale(scale, progress=lambda done: self.stdout.write(f"{done} / {scale}"))
            self.stdout.write(self.style.SUCCESS(f"{created} generated demo cases added."))
            return
        group, _, _, _ = ensure_moderators_group()
        moderator = self.demo_account(
            MODERATOR_USERNAME, group=group, is_staff=True, reset_password=reset_password, first_name="Demo"
        )
        member = self.demo_account(
            MEMBER_USERNAME, group=None, is_staff=False, reset_password=reset_password, first_name="Demo"
        )
        data = load_demo_data()
        created_resources = self.seed_resources(data["resource_categories"])
        created_cases = self.seed_cases(data["people"], moderator=moderator, member=member)
        # The about and privacy pages are real, not demo: the migration makes them, this restores a deleted one.
        created_pages = ensure_pages(Page)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {created_cases} new case(s) "
                f"({Case.objects.filter(is_demo=True).count()} demo cases in all), "
                f"{created_resources} new resource(s), {created_pages} new page(s)."
            )
        )

    def demo_account(self, username, *, group, is_staff, reset_password, first_name):
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        created = user is None
        if created:
            user = User(
                username=username,
                email=f"{username}@example.org",
                first_name=first_name,
                last_name=username.replace("-", " ").title().replace(" ", ""),
                is_staff=is_staff,
                email_verified=True,
            )
        if created or reset_password:
            password = secrets.token_urlsafe(12)
            user.set_password(password)
            user.save()
            verb = "Created" if created else "Reset password for"
            self.stdout.write(f"{verb} {'staff' if is_staff else 'member'} account: {username} / {password}")
        else:
            self.stdout.write(
                f"Account {username} already exists; its password is unchanged (use --reset-password for a new one)."
            )
        if group is not None:
            user.groups.add(group)
        return user

    def seed_resources(self, categories):
        created = 0
        for order, entry in enumerate(categories):
            # Each text in English and French (listings/translation.py); English identifies the row.
            category, _ = ResourceCategory.objects.get_or_create(
                name_en=entry["category"], defaults={"name_fr": entry["category_fr"], "order": order}
            )
            for position, resource in enumerate(entry["resources"]):
                _, was_created = Resource.objects.get_or_create(
                    category=category,
                    title_en=resource["title"],
                    defaults={
                        "title_fr": resource["title_fr"],
                        "url": resource["url"],
                        "phone": resource["phone"],
                        "description_en": resource["description"],
                        "description_fr": resource["description_fr"],
                        "order": position,
                    },
                )
                created += was_created
        return created

    def seed_cases(self, people, *, moderator, member):
        existing = set(
            Case.objects.filter(is_demo=True, police_file_number__startswith=DEMO_FILE_PREFIX).values_list(
                "police_file_number", flat=True
            )
        )
        created = 0
        for index, person in enumerate(people, start=1):
            if demo_file_number(index) in existing:
                continue
            first_name, last_name, outcome = person["first_name"], person["last_name"], person["outcome"]
            processed = process_photo(placeholder_portrait(first_name, last_name, index))
            # One transaction per case: a case is created with its review outcome or not at all.
            with transaction.atomic():
                case = submit_case(
                    by=member,
                    fields=demo_fields(index, person),
                    photos=[(processed, f"Placeholder picture for the demo case of {first_name} {last_name}")],
                )
                if outcome in (PUBLISHED, FOUND):
                    moderation.publish(case, by=moderator, note="Demo data", email_submitter=False)
                if outcome == FOUND:
                    moderation.mark_found(case, by=moderator, note="Demo data")
                if outcome == REJECTED:
                    moderation.reject(
                        case, by=moderator, note="Demo data: an example of a rejected submission", email_submitter=False
                    )
            created += 1
        return created

    def clear(self, *, dry_run):
        cases = Case.objects.filter(is_demo=True)
        count = cases.count()
        photos = sum(case.photos.count() for case in cases)
        if dry_run:
            self.stdout.write(f"Would delete {count} demo case(s) and {photos} photo(s) with their files.")
            return
        with transaction.atomic():
            for case in cases:
                moderation.record_deletion(case, note="seed_demo --clear")
            # Each photo's files are deleted from the media storage once this commits (listings.signals).
            cases.delete()
        self.stdout.write(self.style.SUCCESS(f"Deleted {count} demo case(s) and {photos} photo(s)."))
