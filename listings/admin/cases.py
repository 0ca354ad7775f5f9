"""Cases in the admin: the moderation queue, the change form with its moderation buttons, audited edits."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import moderation
from ..duplicates import possible_duplicates
from ..models import AuditAction, Case, Photo, ReviewState
from .actions import PENDING_FIRST, ModerationActionsMixin, moderate_with_note, moderation_actions
from .audit import AuditEntryInline, record_edits
from .photos import PhotoInline

REVIEW_FIELDS = [
    "review_state",
    "case_status",
    "reviewed_by",
    "reviewed_at",
    "rejection_reason",
    "published_at",
    "found_at",
    "confirmed_at",
    "withdrawn_at",
    "slug",
    "is_demo",
    "created_at",
    "updated_at",
]


class NeedsConfirmationFilter(admin.SimpleListFilter):
    """Open appeals not checked with the police for CASE_CONFIRMATION_DAYS; they stay published."""

    title = _("confirmation")
    parameter_name = "confirmation"

    def lookups(self, request, model_admin):
        return [("due", _("Needs re-confirmation"))]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.needs_confirmation()
        return queryset


# Read-only panels for moderators: who submitted the case, and cases that may be the same person.
PEOPLE_FIELDS = ["submitter", "other_submissions", "possible_duplicates"]


def _case_links(cases):
    if not cases:
        return "—"
    return format_html(
        '<ul class="lostinnl-case-links">{}</ul>',
        format_html_join(
            "",
            '<li><a href="{}">{}</a> — {}, {} {}</li>',
            (
                (
                    reverse("admin:listings_case_change", args=[case.pk]),
                    case.full_name,
                    case.get_review_state_display(),
                    gettext("last seen"),
                    date_format(case.last_seen_date),
                )
                for case in cases
            ),
        ),
    )


@admin.register(Case)
class CaseAdmin(ModerationActionsMixin, admin.ModelAdmin):
    list_display = [
        "full_name",
        "region",
        "last_seen_date",
        "review_state",
        "case_status",
        "photo_count",
        "submitted_by",
        "updated",
    ]
    list_display_links = ["full_name"]
    list_filter = ["review_state", "case_status", NeedsConfirmationFilter, "region", "is_demo"]
    search_fields = ["first_name", "last_name", "nickname", "last_seen_place", "police_file_number"]
    date_hierarchy = "last_seen_date"
    ordering = [PENDING_FIRST, "-updated_at", "-id"]
    list_select_related = ["submitted_by"]
    list_per_page = 50
    # Changed only through listings.moderation, which records who did what.
    readonly_fields = [*REVIEW_FIELDS, *PEOPLE_FIELDS]
    fieldsets = [
        (
            _("Submitter and possible duplicates"),
            {
                "description": _("The member's details are for contacting the family; they are never published."),
                "fields": PEOPLE_FIELDS,
            },
        ),
        (_("Person"), {"fields": ["first_name", "last_name", "nickname", "age_at_disappearance", "sex"]}),
        (
            _("Physical description"),
            {"fields": ["height_cm", "weight_kg", "eye_colour", "hair_colour", "distinguishing_features"]},
        ),
        (_("Last seen"), {"fields": ["last_seen_date", "last_seen_place", "region", "circumstances"]}),
        (_("Police"), {"fields": ["police_file_number", "investigating_agency", "agency_phone"]}),
        (
            _("Review"),
            {
                "classes": ["collapse"],
                "description": _("Changed only with the moderation actions, which record who did what."),
                "fields": REVIEW_FIELDS,
            },
        ),
    ]
    inlines = [PhotoInline, AuditEntryInline]
    actions = moderation_actions(moderation.CASE_MOVES.values())

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(photo_count=Count("photos", distinct=True))

    @admin.display(description=_("Name"), ordering="last_name")
    def full_name(self, case):
        return case.full_name

    @admin.display(description=_("Updated"), ordering="updated_at")
    def updated(self, case):
        # The date alone keeps the queue within a 1280 px screen; the case's page has the time.
        return date_format(timezone.localtime(case.updated_at), "SHORT_DATE_FORMAT")

    @admin.display(description=_("Photos"), ordering="photo_count")
    def photo_count(self, case):
        return case.photo_count

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        return fieldsets if obj is not None else fieldsets[1:]

    @admin.display(description=_("Submitted by"))
    def submitter(self, case):
        # Shown as text: moderators do not administer users, so no link to the user's admin page.
        member = case.submitted_by
        if member is None:
            return gettext("Nobody: imported or created by staff.")
        name = member.get_full_name() or member.username
        if not member.email:
            return name
        return format_html('{} &lt;<a href="mailto:{}">{}</a>&gt;', name, member.email, member.email)

    @admin.display(description=_("Their other submissions"))
    def other_submissions(self, case):
        if case.submitted_by_id is None:
            return "—"
        return _case_links(
            Case.objects.filter(submitted_by_id=case.submitted_by_id).exclude(pk=case.pk).order_by("-created_at")
        )

    @admin.display(description=_("Possible duplicates"))
    def possible_duplicates(self, case):
        if case.review_state != ReviewState.PENDING:
            return "—"
        return _case_links(
            possible_duplicates(
                Case.objects.all(),
                first_name=case.first_name,
                last_name=case.last_name,
                last_seen_date=case.last_seen_date,
                exclude=case,
            )
        )

    def view_on_site(self, case):
        return case.get_absolute_url()

    def get_urls(self):
        return [
            path(
                "<path:object_id>/moderate/<slug:action>/",
                self.admin_site.admin_view(self.moderate_view),
                name="listings_case_moderate",
            ),
            *super().get_urls(),
        ]

    def moderate_view(self, request, object_id, action):
        """One case through the same confirmation page as the bulk actions."""
        if not self.has_moderate_permission(request):
            raise PermissionDenied
        case = self.get_object(request, object_id)
        if case is None:
            raise Http404
        move = moderation.CASE_MOVES.get(action)
        if move is None or not move.allowed_for(case):
            self.message_user(
                request, gettext("That moderation action is not available for this case."), messages.WARNING
            )
            return redirect("admin:listings_case_change", case.pk)
        from_queue = case.review_state == ReviewState.PENDING
        response = moderate_with_note(
            self, request, Case.objects.filter(pk=case.pk), move=move, extra_context={"offer_next": from_queue}
        )
        if response is not None:
            return response
        if from_queue and "_next_pending" in request.POST:
            return self._next_pending(request, after=case)
        return redirect("admin:listings_case_change", case.pk)

    def _next_pending(self, request, *, after):
        """The oldest case still waiting in the queue, or the queue itself when it is empty."""
        following = Case.objects.pending().exclude(pk=after.pk).order_by("created_at", "id").first()
        if following is None:
            self.message_user(request, gettext("No case is waiting for review."), messages.SUCCESS)
            return redirect("admin:listings_case_changelist")
        return redirect("admin:listings_case_change", following.pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        case = self.get_object(request, object_id)
        if case is not None and self.has_moderate_permission(request):
            extra_context = {
                "moderation_links": [
                    (reverse("admin:listings_case_moderate", args=[case.pk, move.name]), move.label)
                    for move in moderation.moves_for(case)
                ],
                **(extra_context or {}),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        pending_photos = Photo.objects.filter(review_state=ReviewState.PENDING)
        photo_changelist = reverse("admin:listings_photo_changelist")
        extra_context = {
            "pending_cases": Case.objects.pending().count(),
            "pending_photos": pending_photos.count(),
            "pending_cases_url": f"?review_state__exact={ReviewState.PENDING}",
            "unconfirmed_cases": Case.objects.needs_confirmation().count(),
            "unconfirmed_cases_url": f"?{NeedsConfirmationFilter.parameter_name}=due",
            "pending_photos_url": f"{photo_changelist}?review_state__exact={ReviewState.PENDING}",
            **(extra_context or {}),
        }
        return super().changelist_view(request, extra_context=extra_context)

    def save_model(self, request, obj, form, change):
        # changeform_view runs in a transaction: the edit and its audit rows commit together.
        super().save_model(request, obj, form, change)
        if change:
            record_edits(obj, form, by=request.user)
        else:
            moderation.record(
                obj,
                action=AuditAction.SUBMITTED,
                by=request.user,
                field="review_state",
                to_value=obj.review_state,
                note="Created in the admin.",
            )

    def save_formset(self, request, form, formset, change):
        if formset.model is Photo:
            for photo_form in formset.forms:
                photo = photo_form.instance
                if photo.pk is None:
                    continue
                if photo_form in formset.deleted_forms:
                    moderation.record_deletion(photo, by=request.user)
                elif photo_form.has_changed():
                    record_edits(form.instance, photo_form, by=request.user, prefix="photo.", photo=photo)
        super().save_formset(request, form, formset, change)

    def delete_model(self, request, obj):
        moderation.record_deletion(obj, by=request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for case in queryset:
            moderation.record_deletion(case, by=request.user)
        super().delete_queryset(request, queryset)
