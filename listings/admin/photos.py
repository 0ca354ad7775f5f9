"""Photos in the admin: previews, the photo queue and its moderation actions."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .. import moderation
from ..models import Photo
from .actions import PENDING_FIRST, ModerationActionsMixin, moderation_actions
from .audit import record_edits


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


class PhotoInline(admin.TabularInline):
    model = Photo
    extra = 0
    fields = ["preview", "caption", "is_primary", "review_state"]
    readonly_fields = ["preview", "review_state"]
    show_change_link = True

    # Photos arrive through the submission form, which checks and re-encodes them.
    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("Preview"))
    def preview(self, photo):
        return photo_preview(photo)


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
    actions = moderation_actions(moderation.PHOTO_MOVES.values())

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("Preview"))
    def preview(self, photo):
        return photo_preview(photo)

    @admin.display(description=_("Preview"))
    def large_preview(self, photo):
        return photo_preview(photo)

    @admin.display(description=_("Case review state"), ordering="case__review_state")
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
