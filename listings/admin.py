"""The back office: the moderation queue, inboxes, resources and the read-only audit trail.

Review state and case status are read-only in every form here; they change
only through `listings.moderation`, which writes the audit row with them.
Staff edits made through a change form are recorded field by field.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Case as Switch
from django.db.models import Count, Value, When
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy

from . import moderation
from .models import (
    AuditAction,
    AuditEntry,
    Case,
    ContactMessage,
    Photo,
    Resource,
    ResourceCategory,
    ReviewState,
    Tip,
)

admin.site.site_header = "LostInNL moderation"
admin.site.site_title = "LostInNL moderation"
admin.site.index_title = "Moderation queue, inboxes and resources"

AUDIT_VALUE_LENGTH = AuditEntry._meta.get_field("from_value").max_length

# Pending rows sort before everything else, so a changelist opens as a queue.
PENDING_FIRST = Switch(When(review_state=ReviewState.PENDING, then=Value(0)), default=Value(1)).asc()


def _audit_value(value):
    if value is None:
        return ""
    return Truncator(str(value)).chars(AUDIT_VALUE_LENGTH)


def record_edits(case, form, *, by, prefix="", photo=None):
    """One EDITED audit row per field the staff member changed in `form`."""
    for name in form.changed_data:
        moderation.record(
            case,
            action=AuditAction.EDITED,
            by=by,
            photo=photo,
            field=f"{prefix}{name}"[:60],
            from_value=_audit_value(form.initial.get(name)),
            to_value=_audit_value(form.cleaned_data.get(name)),
        )


def photo_preview(photo, size="thumb"):
    if photo is None or photo.pk is None:
        return "—"
    url = reverse("listings:photo", kwargs={"key": photo.key, "size": size})
    full = reverse("listings:photo", kwargs={"key": photo.key, "size": "full"})
    return format_html(
        '<a href="{}"><img src="{}" alt="{}" width="96" class="lostinnl-admin-preview" loading="lazy"></a>',
        full,
        url,
        photo.alt_text,
    )


class ModerationNoteForm(forms.Form):
    note = forms.CharField(
        label="Note for the audit trail (optional)",
        required=False,
        max_length=AuditEntry._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text="Why this change is made, e.g. “Confirmed with the RNC file officer”.",
    )


def moderate_with_note(modeladmin, request, queryset, *, change, verb, name):
    """Confirm a bulk moderation action on an intermediate page, then apply `change` to each object.

    `change` is one of the `listings.moderation` functions. An object whose
    transition is not allowed is reported and skipped; the others still change.
    """
    if request.POST.get("post") == "yes":
        form = ModerationNoteForm(request.POST)
        if form.is_valid():
            note = form.cleaned_data["note"]
            done, refused = 0, []
            for obj in queryset:
                try:
                    change(obj, by=request.user, note=note)
                except ValidationError as error:
                    refused.append(f"{obj}: {' '.join(error.messages)}")
                else:
                    done += 1
            opts = modeladmin.model._meta
            if done:
                noun = opts.verbose_name if done == 1 else opts.verbose_name_plural
                modeladmin.message_user(request, f"{verb.capitalize()}: {done} {noun}.", messages.SUCCESS)
            for message in refused:
                modeladmin.message_user(request, f"Not {verb}: {message}", messages.WARNING)
            return None
    else:
        form = ModerationNoteForm()
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": f"{verb.capitalize()} {opts.verbose_name_plural}?",
        "subtitle": None,
        "verb": verb,
        "action_name": name,
        "objects": queryset,
        "form": form,
        "opts": opts,
        "app_label": opts.app_label,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "admin/listings/moderation_confirmation.html", context)


class ModerationActionsMixin:
    """The `moderate` permission behind `@admin.action(permissions=["moderate"])`."""

    def has_moderate_permission(self, request):
        return request.user.has_perm("listings.moderate_case")


CASE_VERBS = [
    ("publish", "published"),
    ("reject", "rejected"),
    ("mark_found", "marked found"),
    ("mark_missing", "marked missing"),
    ("unpublish", "unpublished"),
    ("take_down", gettext_lazy("taken down")),
    ("restore", gettext_lazy("restored")),
    ("confirm", gettext_lazy("confirmed with police")),
]


class NeedsConfirmationFilter(admin.SimpleListFilter):
    """Open appeals not checked with the police for CASE_CONFIRMATION_DAYS; they stay published."""

    title = gettext_lazy("confirmation")
    parameter_name = "confirmation"

    def lookups(self, request, model_admin):
        return [("due", gettext_lazy("Needs re-confirmation"))]

    def queryset(self, request, queryset):
        if self.value() == "due":
            return queryset.needs_confirmation()
        return queryset


def _moderation_action(change, *, verb, description):
    name = change.__name__

    @admin.action(permissions=["moderate"], description=description)
    def action(modeladmin, request, queryset):
        return moderate_with_note(modeladmin, request, queryset, change=change, verb=verb, name=name)

    action.__name__ = name
    return action


class PhotoInline(admin.TabularInline):
    model = Photo
    extra = 0
    fields = ["preview", "caption", "is_primary", "review_state"]
    readonly_fields = ["preview", "review_state"]
    show_change_link = True

    # Photos arrive through the submission form, which checks and re-encodes them.
    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description="Preview")
    def preview(self, photo):
        return photo_preview(photo)


class AuditEntryInline(admin.TabularInline):
    model = AuditEntry
    fk_name = "case"
    extra = 0
    verbose_name_plural = "Audit trail"
    fields = ["created_at", "action", "field", "from_value", "to_value", "note", "actor"]
    readonly_fields = fields
    ordering = ["-created_at", "-id"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


REVIEW_FIELDS = [
    "review_state",
    "case_status",
    "reviewed_by",
    "reviewed_at",
    "published_at",
    "found_at",
    "confirmed_at",
    "withdrawn_at",
    "submitted_by",
    "slug",
    "is_demo",
    "created_at",
    "updated_at",
]


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
        "updated_at",
    ]
    list_display_links = ["full_name"]
    list_filter = ["review_state", "case_status", NeedsConfirmationFilter, "region", "is_demo"]
    search_fields = ["first_name", "last_name", "nickname", "last_seen_place", "police_file_number"]
    date_hierarchy = "last_seen_date"
    ordering = [PENDING_FIRST, "-updated_at", "-id"]
    list_select_related = ["submitted_by"]
    list_per_page = 50
    # Changed only through listings.moderation, which records who did what.
    readonly_fields = REVIEW_FIELDS
    fieldsets = [
        ("Person", {"fields": ["first_name", "last_name", "nickname", "age_at_disappearance", "sex"]}),
        (
            "Physical description",
            {"fields": ["height_cm", "weight_kg", "eye_colour", "hair_colour", "distinguishing_features"]},
        ),
        ("Last seen", {"fields": ["last_seen_date", "last_seen_place", "region", "circumstances"]}),
        ("Police", {"fields": ["police_file_number", "investigating_agency", "agency_phone"]}),
        (
            "Review",
            {
                "classes": ["collapse"],
                "description": "Changed only with the moderation actions, which record who did what.",
                "fields": REVIEW_FIELDS,
            },
        ),
    ]
    inlines = [PhotoInline, AuditEntryInline]
    actions = [
        _moderation_action(moderation.publish, verb="published", description="Publish selected cases"),
        _moderation_action(moderation.reject, verb="rejected", description="Reject selected cases"),
        _moderation_action(moderation.mark_found, verb="marked found", description="Mark selected cases found"),
        _moderation_action(
            moderation.mark_missing, verb="marked missing", description="Mark selected cases missing again"
        ),
        _moderation_action(
            moderation.unpublish,
            verb="unpublished",
            description="Unpublish selected cases (back to the queue)",
        ),
        _moderation_action(
            moderation.confirm,
            verb=gettext_lazy("confirmed with police"),
            description=gettext_lazy("Confirm selected cases with police (still missing)"),
        ),
        _moderation_action(
            moderation.take_down,
            verb=gettext_lazy("taken down"),
            description=gettext_lazy("Take down selected cases (410 Gone at once)"),
        ),
        _moderation_action(
            moderation.restore, verb=gettext_lazy("restored"), description=gettext_lazy("Restore selected cases")
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(photo_count=Count("photos", distinct=True))

    @admin.display(description="Name", ordering="last_name")
    def full_name(self, case):
        return case.full_name

    @admin.display(description="Photos", ordering="photo_count")
    def photo_count(self, case):
        return case.photo_count

    def view_on_site(self, case):
        return case.get_absolute_url()

    # Per-case buttons on the change form: (action name, label), offered when the transition is allowed.
    def available_moderation(self, case):
        options = {
            ReviewState.PENDING: [("publish", "Publish"), ("reject", "Reject")],
            ReviewState.PUBLISHED: [
                ("unpublish", "Unpublish"),
                ("reject", "Reject"),
                ("take_down", gettext_lazy("Take down")),
            ],
            ReviewState.REJECTED: [("publish", "Publish")],
            ReviewState.WITHDRAWN: [("restore", gettext_lazy("Restore"))],
        }[case.review_state]
        if case.is_found:
            return [*options, ("mark_missing", "Mark missing")]
        if case.is_published:
            options = [*options, ("confirm", gettext_lazy("Confirm with police"))]
        return [*options, ("mark_found", "Mark found")]

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
        change = getattr(moderation, action, None)
        if action not in {name for name, _ in self.available_moderation(case)} or change is None:
            self.message_user(request, "That moderation action is not available for this case.", messages.WARNING)
            return redirect("admin:listings_case_change", case.pk)
        verb = dict(CASE_VERBS)[action]
        response = moderate_with_note(
            self, request, Case.objects.filter(pk=case.pk), change=change, verb=verb, name=action
        )
        return response or redirect("admin:listings_case_change", case.pk)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        case = self.get_object(request, object_id)
        if case is not None and self.has_moderate_permission(request):
            extra_context = {
                "moderation_links": [
                    (reverse("admin:listings_case_moderate", args=[case.pk, name]), label)
                    for name, label in self.available_moderation(case)
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


@admin.register(Photo)
class PhotoAdmin(ModerationActionsMixin, admin.ModelAdmin):
    list_display = [
        "preview",
        "case",
        "caption",
        "is_primary",
        "review_state",
        "case_review_state",
        "created_at",
    ]
    list_display_links = ["preview", "case"]
    list_filter = ["review_state", "case__review_state", "is_primary"]
    search_fields = ["caption", "case__first_name", "case__last_name", "case__police_file_number"]
    list_select_related = ["case"]
    ordering = [PENDING_FIRST, "-created_at", "-id"]
    fields = [
        "large_preview",
        "case",
        "caption",
        "is_primary",
        "review_state",
        "width",
        "height",
        "created_at",
    ]
    readonly_fields = ["large_preview", "case", "review_state", "width", "height", "created_at"]
    actions = [
        _moderation_action(moderation.publish_photo, verb="published", description="Publish selected photos"),
        _moderation_action(moderation.reject_photo, verb="rejected", description="Reject selected photos"),
    ]

    def has_add_permission(self, request):
        return False

    @admin.display(description="Preview")
    def preview(self, photo):
        return photo_preview(photo)

    @admin.display(description="Preview")
    def large_preview(self, photo):
        return photo_preview(photo)

    @admin.display(description="Case review state", ordering="case__review_state")
    def case_review_state(self, photo):
        return photo.case.get_review_state_display()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change:
            record_edits(obj.case, form, by=request.user, prefix="photo.", photo=obj)

    def delete_model(self, request, obj):
        moderation.record_deletion(obj, by=request.user)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for photo in queryset.select_related("case"):
            moderation.record_deletion(photo, by=request.user)
        super().delete_queryset(request, queryset)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit trail, readable by staff and changeable by nobody."""

    list_display = [
        "created_at",
        "action",
        "case_link",
        "field",
        "from_value",
        "to_value",
        "actor",
        "short_note",
    ]
    list_filter = ["action", ("actor", admin.RelatedOnlyFieldListFilter), "created_at"]
    search_fields = ["case_label", "note", "field", "actor__username", "case__police_file_number"]
    list_select_related = ["case", "actor"]
    fields = [
        "created_at",
        "action",
        "case",
        "case_label",
        "photo",
        "field",
        "from_value",
        "to_value",
        "actor",
        "note",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Case", ordering="case_label")
    def case_link(self, entry):
        if entry.case_id is None:
            return entry.case_label
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:listings_case_change", args=[entry.case_id]),
            entry.case_label,
        )

    @admin.display(description="Note")
    def short_note(self, entry):
        return Truncator(entry.note).chars(80)


class InboxAdmin(admin.ModelAdmin):
    """Messages people sent: staff read them and mark them handled, nothing else."""

    # No date_hierarchy on these timestamps: on MySQL it needs the server's time zone tables.
    list_filter = ["handled", "created_at"]
    actions = ["mark_handled", "mark_unhandled"]

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [name for name in self.get_fields(request, obj) if name != "handled"]

    @admin.display(description="Message")
    def short_message(self, obj):
        return Truncator(obj.message).chars(80)

    @admin.action(permissions=["change"], description="Mark selected as handled")
    def mark_handled(self, request, queryset):
        count = queryset.update(handled=True)
        self.message_user(request, f"Marked {count} as handled.", messages.SUCCESS)

    @admin.action(permissions=["change"], description="Mark selected as not handled")
    def mark_unhandled(self, request, queryset):
        count = queryset.update(handled=False)
        self.message_user(request, f"Marked {count} as not handled.", messages.SUCCESS)


@admin.register(Tip)
class TipAdmin(InboxAdmin):
    list_display = ["case", "short_message", "name", "created_at", "handled"]
    list_filter = ["handled", "case__case_status", "created_at"]
    search_fields = ["message", "name", "email", "phone", "case__first_name", "case__last_name"]
    list_select_related = ["case"]
    fields = ["case", "created_at", "name", "email", "phone", "message", "handled"]


@admin.register(ContactMessage)
class ContactMessageAdmin(InboxAdmin):
    list_display = ["subject", "name", "email", "created_at", "handled"]
    search_fields = ["subject", "message", "name", "email"]
    fields = ["created_at", "name", "email", "subject", "message", "handled"]


HTTPS_LINKS = {models.URLField: {"assume_scheme": "https"}}


class ResourceInline(admin.TabularInline):
    model = Resource
    formfield_overrides = HTTPS_LINKS
    extra = 1
    fields = ["title", "url", "phone", "description", "order"]


@admin.register(ResourceCategory)
class ResourceCategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "resource_count"]
    list_editable = ["order"]
    search_fields = ["name"]
    inlines = [ResourceInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(resource_count=Count("resources"))

    @admin.display(description="Resources", ordering="resource_count")
    def resource_count(self, category):
        return category.resource_count


@admin.register(Resource)
class ResourceAdmin(admin.ModelAdmin):
    formfield_overrides = HTTPS_LINKS
    list_display = ["title", "category", "phone", "url", "order"]
    list_editable = ["order"]
    list_filter = ["category"]
    search_fields = ["title", "description", "url", "phone"]
    list_select_related = ["category"]
