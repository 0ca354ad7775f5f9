"""Cases of missing people, their photos, tips, resources, the contact inbox and the audit trail.

The privacy rule lives here and nowhere else: `Case.objects.published()` and
`Photo.objects.published()` are what every public page, feed, sitemap and
search starts from; `visible_to(user)` widens that only for staff and for a
submitter looking at their own case. It is written once, in `case_visibility`;
a photo's visibility is its case's, narrowed to published photos for the public.
"""

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from .images import THUMBNAIL_SIZE


class ReviewState(models.TextChoices):
    PENDING = "pending", _("Pending review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    # Once public, now taken off the site (found and past its retention period, or taken down by staff).
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A photo is reviewed, published or rejected; only a case is ever withdrawn.
PHOTO_REVIEW_STATES = [(value, label) for value, label in ReviewState.choices if value != ReviewState.WITHDRAWN]

# What a submitter may still change: their own case before it is published, or after it was rejected.
SUBMITTER_EDITABLE = frozenset({ReviewState.PENDING, ReviewState.REJECTED})


class CaseStatus(models.TextChoices):
    MISSING = "missing", _("Missing")
    FOUND = "found", _("Found")


class Region(models.TextChoices):
    AVALON = "avalon", _("Avalon Peninsula")
    EASTERN = "eastern", _("Eastern Newfoundland")
    CENTRAL = "central", _("Central Newfoundland")
    WESTERN = "western", _("Western Newfoundland")
    NORTHERN_PENINSULA = "northern_peninsula", _("Great Northern Peninsula")
    LABRADOR = "labrador", _("Labrador")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", _("Other or not stated")


def case_visibility(user=None, *, via="", public=None):
    """Who may see a case, or (with `via="case__"`) an object that belongs to a case.

    Everyone sees what is published (narrowed by `public`, e.g. to published photos);
    staff see everything; a member also sees everything of their own submissions.
    Without a `user`, only what is published.
    """
    published = Q(**{f"{via}review_state": ReviewState.PUBLISHED}) & (public or Q())
    if user is None or not user.is_authenticated:
        return published
    if user.is_staff:
        return Q()
    # A withdrawn case is gone for its submitter too.
    own = Q(**{f"{via}submitted_by": user}) & ~Q(**{f"{via}review_state": ReviewState.WITHDRAWN})
    return published | own


# The fields a case card shows, and those its cache key and order read.
CARD_FIELDS = [
    "slug",
    "first_name",
    "last_name",
    "nickname",
    "age_at_disappearance",
    "last_seen_date",
    "last_seen_place",
    "region",
    "case_status",
    "review_state",
    "published_at",
    "found_at",
    "updated_at",
]


# What every public listing filters on, and the filters it offers (listings/filters.py): the listing indexes.
LISTING_PREFIX = ["review_state", "case_status"]
LISTING_FILTERS = ["region", "last_seen_date", "age_at_disappearance"]


class CaseQuerySet(models.QuerySet):
    def published(self):
        """Every case the public may open: missing ones, and found ones until they are withdrawn."""
        return self.filter(case_visibility())

    def appealing(self):
        """Published cases still asking for help: the only ones listed by default, fed, mapped, shared or postered."""
        return self.published().filter(case_status=CaseStatus.MISSING)

    def pending(self):
        return self.filter(review_state=ReviewState.PENDING)

    def recently_updated(self):
        """Most recently changed first (an edit or a moderation move counts), unlike the default: newest first."""
        return self.order_by("-updated_at", "-id")

    def withdrawn(self):
        return self.filter(review_state=ReviewState.WITHDRAWN)

    def due_for_withdrawal(self, now=None):
        """Found cases published for longer than FOUND_CASE_RETENTION_DAYS since being found.

        A case that staff restored after it was withdrawn as found stays until staff take it down.
        """
        now = now or timezone.now()
        cutoff = now - timedelta(days=settings.FOUND_CASE_RETENTION_DAYS)
        return (
            self.published()
            .filter(case_status=CaseStatus.FOUND, found_at__lte=cutoff)
            .filter(Q(withdrawn_at__isnull=True) | Q(withdrawn_at__lt=F("found_at")))
        )

    def needs_confirmation(self, now=None):
        """Open appeals not confirmed with the police (or published) in the last CASE_CONFIRMATION_DAYS."""
        now = now or timezone.now()
        cutoff = now - timedelta(days=settings.CASE_CONFIRMATION_DAYS)
        return self.appealing().alias(checked_at=Coalesce("confirmed_at", "published_at")).filter(checked_at__lt=cutoff)

    def rejected_before(self, cutoff):
        """Rejected cases whose rejection (their review time, else their last update) is older than `cutoff`."""
        return (
            self.filter(review_state=ReviewState.REJECTED)
            .annotate(rejected_on=Coalesce("reviewed_at", "updated_at"))
            .filter(rejected_on__lt=cutoff)
        )

    def visible_to(self, user):
        """Published cases, plus everything for staff and a member's own submissions."""
        return self.filter(case_visibility(user))

    def search(self, text):
        """Every word must match a name, nickname, the last-seen place or the region (listings/search.py)."""
        from .search import search

        return search(self, text)

    def for_cards(self):
        """What a case card shows (includes/case_card.html) and its public photos; the long texts stay behind."""
        return self.only(*CARD_FIELDS).with_visible_photos()

    def with_visible_photos(self, user=None):
        """Attach, in one query, every photo `user` may see (without a user, the published ones)."""
        photos = Photo.objects.visible_to(user)
        return self.prefetch_related(models.Prefetch("photos", queryset=photos, to_attr="visible_photos"))


def _case_slug_token():
    return secrets.token_hex(3)


class Case(models.Model):
    slug = models.SlugField(_("slug"), max_length=80, unique=True, editable=False)
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80)
    nickname = models.CharField(_("also known as"), max_length=80, blank=True)
    age_at_disappearance = models.PositiveSmallIntegerField(
        _("age at disappearance"), validators=[MaxValueValidator(120)]
    )
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, default=Sex.UNKNOWN)
    height_cm = models.PositiveSmallIntegerField(
        _("height (cm)"), null=True, blank=True, validators=[MinValueValidator(30), MaxValueValidator(250)]
    )
    weight_kg = models.PositiveSmallIntegerField(
        _("weight (kg)"), null=True, blank=True, validators=[MinValueValidator(2), MaxValueValidator(350)]
    )
    eye_colour = models.CharField(_("eye colour"), max_length=40, blank=True)
    hair_colour = models.CharField(_("hair colour"), max_length=40, blank=True)
    distinguishing_features = models.TextField(_("distinguishing features"), max_length=2000, blank=True)
    last_seen_date = models.DateField(_("last seen date"))
    last_seen_place = models.CharField(_("last seen place"), max_length=160)
    region = models.CharField(_("region"), max_length=20, choices=Region.choices)
    circumstances = models.TextField(_("circumstances"), max_length=5000)
    police_file_number = models.CharField(_("police file number"), max_length=40, blank=True)
    investigating_agency = models.CharField(_("investigating agency"), max_length=120, blank=True)
    agency_phone = models.CharField(_("agency phone"), max_length=40, blank=True)

    case_status = models.CharField(
        _("case status"), max_length=10, choices=CaseStatus.choices, default=CaseStatus.MISSING
    )
    review_state = models.CharField(
        _("review state"), max_length=10, choices=ReviewState.choices, default=ReviewState.PENDING
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="submitted_cases",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_cases",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    rejection_reason = models.TextField(
        _("reason for the submitter"),
        max_length=2000,
        blank=True,
        editable=False,
        help_text=_("Written for the member who submitted the case and shown to them; the audit note stays private."),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    found_at = models.DateTimeField(_("found on"), null=True, blank=True, editable=False)
    confirmed_at = models.DateTimeField(
        _("details last confirmed"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When staff last checked with the police that the person is still missing."),
    )
    withdrawn_at = models.DateTimeField(
        _("last withdrawn"), null=True, blank=True, editable=False, help_text=_("When it was last taken off the site.")
    )
    is_demo = models.BooleanField(
        _("demo"), default=False, editable=False, help_text=_("Fictional case from seed_demo.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-published_at", "-id"]
        indexes = [
            # Every public list reads its order from an index and stops after one page; EXPLAIN output: README.
            models.Index(fields=["review_state", "-published_at", "-id"], name="case_state_published_idx"),
            # Home: open appeals, most recently updated first.
            models.Index(fields=["review_state", "case_status", "-updated_at", "-id"], name="case_appeal_updated_idx"),
            # The listings (always one case status): read in order, each filter checked inside the index
            # (index condition pushdown), and a page's ids read without touching the rows it skips.
            models.Index(fields=[*LISTING_PREFIX, "-published_at", "-id", *LISTING_FILTERS], name="case_listing_idx"),
            models.Index(
                fields=[*LISTING_PREFIX, "region", "-published_at", "-id", "last_seen_date", "age_at_disappearance"],
                name="case_listing_region_idx",
            ),
            # A narrow date or age range: its matches read from here and sorted, still without a row read.
            models.Index(
                fields=[*LISTING_PREFIX, "last_seen_date", "published_at", "id", "region", "age_at_disappearance"],
                name="case_listing_seen_idx",
            ),
            models.Index(
                fields=[*LISTING_PREFIX, "age_at_disappearance", "published_at", "id", "region", "last_seen_date"],
                name="case_listing_age_idx",
            ),
            models.Index(fields=["last_name", "first_name"], name="case_name_idx"),
            models.Index(fields=["is_demo"], name="case_demo_idx"),
        ]
        permissions = [("moderate_case", "Can publish, reject and mark cases found")]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        if not self.slug:
            base = slugify(f"{self.first_name} {self.last_name}")[:60] or "case"
            self.slug = f"{base}-{_case_slug_token()}"
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("listings:case_detail", kwargs={"slug": self.slug})

    def clean(self):
        if self.last_seen_date and self.last_seen_date > timezone.localdate():
            raise ValidationError(
                {"last_seen_date": ValidationError("The date last seen cannot be in the future.", code="future_date")}
            )

    @property
    def full_name(self):
        name = f"{self.first_name} {self.last_name}"
        return f"{name} ({self.nickname})" if self.nickname else name

    @property
    def is_published(self):
        return self.review_state == ReviewState.PUBLISHED

    @property
    def is_rejected(self):
        return self.review_state == ReviewState.REJECTED

    @property
    def submitter_may_change(self):
        """Its submitter may still correct or withdraw it (listings.moderation.resubmit / withdraw)."""
        return self.review_state in SUBMITTER_EDITABLE

    @property
    def is_found(self):
        return self.case_status == CaseStatus.FOUND

    @property
    def is_withdrawn(self):
        return self.review_state == ReviewState.WITHDRAWN

    @property
    def is_appealing(self):
        return self.is_published and not self.is_found

    @property
    def age_now(self):
        """The person's age today, from their age when last seen and the years since (at least that age)."""
        today = timezone.localdate()
        seen = self.last_seen_date
        years = today.year - seen.year - ((today.month, today.day) < (seen.month, seen.day))
        return self.age_at_disappearance + max(0, years)

    @property
    def primary_photo(self):
        """The first of the photos attached by `with_visible_photos`, primary ones first."""
        photos = getattr(self, "visible_photos", None)
        if photos is None:
            photos = list(self.photos.published())
        return photos[0] if photos else None

    @property
    def card_version(self):
        """Changes whenever what its card shows does (includes/case_card.html): the cards' cache key."""
        photo = self.primary_photo
        return (self.pk, self.updated_at, photo and photo.key, photo and photo.caption)


# What a member describes when submitting a case; the CSV import and export use the same columns.
SUBMITTED_FIELDS = [
    "first_name",
    "last_name",
    "nickname",
    "age_at_disappearance",
    "sex",
    "height_cm",
    "weight_kg",
    "eye_colour",
    "hair_colour",
    "distinguishing_features",
    "last_seen_date",
    "last_seen_place",
    "region",
    "circumstances",
    "police_file_number",
    "investigating_agency",
    "agency_phone",
]


def _required(name):
    field = Case._meta.get_field(name)
    return not field.blank and not field.has_default()


# What a submission cannot leave out: the submitted fields with neither a blank value nor a default.
REQUIRED_FIELDS = [name for name in SUBMITTED_FIELDS if _required(name)]


class PhotoQuerySet(models.QuerySet):
    """A photo is seen by whoever sees its case; the public sees it only once it is published too."""

    def published(self):
        return self.visible_to(None)

    def visible_to(self, user):
        return self.filter(case_visibility(user, via="case__", public=Q(review_state=ReviewState.PUBLISHED)))

    def rejected_before(self, cutoff):
        """Rejected photos of cases that are not rejected, rejected (by the audit trail) before `cutoff`.

        A rejected case's photos go with the case (`CaseQuerySet.rejected_before`).
        """
        rejected_at = Subquery(
            AuditEntry.objects.filter(photo=OuterRef("pk"), action=AuditAction.PHOTO_REJECTED)
            .values("photo")
            .annotate(latest=Max("created_at"))
            .values("latest")[:1]
        )
        return (
            self.filter(review_state=ReviewState.REJECTED)
            .exclude(case__review_state=ReviewState.REJECTED)
            .annotate(rejected_on=Coalesce(rejected_at, "created_at"))
            .filter(rejected_on__lt=cutoff)
        )


def photo_upload_to(instance, filename):
    return f"photos/{instance.key}/{filename}"


class Photo(models.Model):
    key = models.UUIDField(_("key"), default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("image"), upload_to=photo_upload_to)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=photo_upload_to)
    width = models.PositiveIntegerField(_("width"), editable=False, default=0)
    height = models.PositiveIntegerField(_("height"), editable=False, default=0)
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    is_primary = models.BooleanField(_("primary photo"), default=False)
    review_state = models.CharField(
        _("review state"), max_length=10, choices=PHOTO_REVIEW_STATES, default=ReviewState.PENDING
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["-is_primary", "created_at", "id"]
        indexes = [models.Index(fields=["case", "review_state"], name="photo_case_state_idx")]

    def __str__(self):
        return self.caption or f"Photo of {self.case}"

    def get_absolute_url(self):
        return reverse("listings:photo", kwargs={"key": self.key, "size": "full"})

    def get_thumbnail_url(self):
        return reverse("listings:photo", kwargs={"key": self.key, "size": "thumb"})

    @property
    def is_public(self):
        """`Photo.objects.published()` for one photo already in hand: its own review and its case's."""
        return self.review_state == ReviewState.PUBLISHED and self.case.is_published

    @property
    def alt_text(self):
        return self.caption or _("Photo of %(name)s") % {"name": self.case.full_name}

    def _thumbnail_scale(self):
        if not (self.width and self.height):
            return None
        return min(1, THUMBNAIL_SIZE[0] / self.width, THUMBNAIL_SIZE[1] / self.height)

    @property
    def thumbnail_width(self):
        """The stored thumbnail's width, for the <img> attributes that keep the layout from jumping."""
        scale = self._thumbnail_scale()
        return round(self.width * scale) if scale else ""

    @property
    def thumbnail_height(self):
        scale = self._thumbnail_scale()
        return round(self.height * scale) if scale else ""

    def stored_names(self):
        return [name for name in (self.image.name, self.thumbnail.name) if name]


class TipState(models.TextChoices):
    NEW = "new", _("New")
    READ = "read", _("Read")
    FORWARDED = "forwarded", _("Forwarded to police")
    CLOSED = "closed", _("Closed")


class TipQuerySet(models.QuerySet):
    def open(self):
        """Tips nobody has forwarded or closed yet: what the moderators' desk counts."""
        return self.filter(state__in=[TipState.NEW, TipState.READ])


def _staff_member(related_name):
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name=related_name,
    )


class Tip(models.Model):
    """Information a visitor sends about a case; only staff ever read it.

    Its `state` (new, read, forwarded, closed) and who moved it there when change only
    through `listings.moderation`, each move with its audit row.
    """

    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="tips")
    message = models.TextField(_("message"), max_length=5000)
    name = models.CharField(_("name"), max_length=120, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=TipState.choices, default=TipState.NEW, editable=False)
    read_by = _staff_member("+")
    read_at = models.DateTimeField(_("read at"), null=True, blank=True, editable=False)
    forwarded_by = _staff_member("+")
    forwarded_at = models.DateTimeField(_("forwarded at"), null=True, blank=True, editable=False)
    forwarded_to_agency = models.CharField(_("forwarded to (agency)"), max_length=120, blank=True, editable=False)
    forwarded_to_officer = models.CharField(_("forwarded to (officer)"), max_length=120, blank=True, editable=False)
    closed_by = _staff_member("+")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    staff_note = models.TextField(_("staff note"), max_length=2000, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = TipQuerySet.as_manager()

    class Meta:
        verbose_name = _("tip")
        verbose_name_plural = _("tips")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "-created_at"], name="tip_state_idx")]

    def __str__(self):
        return _("Tip about %(case)s (%(date)s)") % {
            "case": self.case,
            "date": f"{timezone.localtime(self.created_at):%Y-%m-%d %H:%M}" if self.created_at else "",
        }


# What each search row copies of its case's place in the listings (`search.listing_columns`).
SEARCH_ROW_COPIES = ["published_key", "case_status", "region", "age_at_disappearance", "last_seen_day"]


class CaseSearchToken(models.Model):
    """One word a case is found by, normalised (listings/search.py); rewritten whenever the case is saved.

    Each row also holds a copy of the case's place in the listings (`SEARCH_ROW_COPIES`), kept
    by `search.index_cases` and `signals.py` whenever the case's review state, case status,
    publication or a filtered field changes, so that a listing's search is filtered and
    ranked without reading the cases (`search.ShortList`, `search.LongList`). The cases are
    still read for the page shown, from `Case.objects.published()`.
    """

    # Indexed by `search_case_token_idx`, which starts with it.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="search_tokens", db_index=False)
    token = models.CharField(max_length=40)
    # The case's `published_at` in microseconds since 1970 while it is published, else None: it sorts as the
    # listings do, and thousands of numbers are read far faster than datetimes (`search.published_key`).
    published_key = models.BigIntegerField(null=True, editable=False)
    case_status = models.CharField(max_length=10, choices=CaseStatus.choices, default=CaseStatus.MISSING)
    region = models.CharField(max_length=20, choices=Region.choices, blank=True)
    age_at_disappearance = models.PositiveSmallIntegerField(default=0)
    # The case's `last_seen_date` as `date.toordinal()`: a number, read faster than a date.
    last_seen_day = models.IntegerField(default=0)

    class Meta:
        indexes = [
            # A word's cases, with their place in the listings: the first word of a search, read from the index alone.
            models.Index(fields=["token", "case", *SEARCH_ROW_COPIES], name="search_token_listed_idx"),
            # Which of a few cases also have a word: every other word, read for those cases only.
            models.Index(fields=["case", "token"], name="search_case_token_idx"),
        ]

    def __str__(self):
        return self.token


class SearchName(models.Model):
    """A distinct normalised word of a case's names or place: where a query word with a typo finds it."""

    name = models.CharField(max_length=40, unique=True)

    def __str__(self):
        return self.name


class ResourceCategory(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("resource category")
        ordering = ["order", "name"]
        verbose_name_plural = _("resource categories")

    def __str__(self):
        return self.name


class Resource(models.Model):
    category = models.ForeignKey(
        ResourceCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="resources"
    )
    title = models.CharField(_("title"), max_length=160)
    url = models.URLField(_("link"))
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["category__order", "category__name", "order", "title"]

    def __str__(self):
        return self.title


class ContactMessage(models.Model):
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail"))
    subject = models.CharField(_("subject"), max_length=160)
    message = models.TextField(_("message"), max_length=5000)
    handled = models.BooleanField(_("handled"), default=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        ordering = ["handled", "-created_at"]

    def __str__(self):
        return f"{self.subject} — {self.name}"


class AuditAction(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Rejected")
    UNPUBLISHED = "unpublished", _("Unpublished")
    MARKED_FOUND = "marked_found", _("Marked found")
    MARKED_MISSING = "marked_missing", _("Marked missing")
    PHOTO_PUBLISHED = "photo_published", _("Photo published")
    PHOTO_REJECTED = "photo_rejected", _("Photo rejected")
    EDITED = "edited", _("Edited by staff")
    IMPORTED = "imported", _("Imported")
    DELETED = "deleted", _("Deleted")
    TAKEN_DOWN = "taken_down", _("Taken down")
    RESTORED = "restored", _("Restored")
    CONFIRMED = "confirmed", _("Confirmed with police")
    RESUBMITTED = "resubmitted", _("Edited by the submitter")
    WITHDRAWN = "withdrawn", _("Withdrawn by the submitter")
    TIP_READ = "tip_read", _("Tip read")
    TIP_FORWARDED = "tip_forwarded", _("Tip forwarded")
    TIP_CLOSED = "tip_closed", _("Tip closed")
    TIP_REOPENED = "tip_reopened", _("Tip reopened")
    UPDATE_POSTED = "update_posted", _("Public update posted")


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise TypeError("The audit trail is append-only.")

    def delete(self):
        raise TypeError("The audit trail is append-only.")


class AuditEntry(models.Model):
    """One append-only row per state change or staff edit."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_entries"
    )
    case_label = models.CharField(
        _("case label"), max_length=200, help_text=_("The case as it was named, kept if it is deleted.")
    )
    photo = models.ForeignKey(
        Photo, verbose_name=_("photo"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    tip = models.ForeignKey(
        Tip, verbose_name=_("tip"), on_delete=models.SET_NULL, null=True, blank=True, related_name="audit_entries"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("actor"), on_delete=models.SET_NULL, null=True, blank=True
    )
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    field = models.CharField(_("field"), max_length=60, blank=True)
    from_value = models.CharField(_("from value"), max_length=255, blank=True)
    to_value = models.CharField(_("to value"), max_length=255, blank=True)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        ordering = ["-created_at", "-id"]
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["case", "-created_at"], name="audit_case_idx")]

    def __str__(self):
        change = f" {self.from_value} → {self.to_value}" if self.field else ""
        return f"{self.get_action_display()}: {self.case_label}{change}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise TypeError("The audit trail is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise TypeError("The audit trail is append-only.")
