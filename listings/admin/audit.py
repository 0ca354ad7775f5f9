"""The audit trail in the admin: readable by staff, changeable by nobody; staff edits recorded field by field."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from .. import moderation
from ..models import AuditAction, AuditEntry

AUDIT_VALUE_LENGTH = AuditEntry._meta.get_field("from_value").max_length


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


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AuditEntryInline(ReadOnlyMixin, admin.TabularInline):
    model = AuditEntry
    fk_name = "case"
    extra = 0
    verbose_name_plural = _("Audit trail")
    fields = ["created_at", "action", "field", "from_value", "to_value", "note", "actor"]
    readonly_fields = fields
    ordering = ["-created_at", "-id"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("actor")


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyMixin, admin.ModelAdmin):
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

    @admin.display(description=_("Case"), ordering="case_label")
    def case_link(self, entry):
        if entry.case_id is None:
            return entry.case_label
        return format_html(
            '<a href="{}">{}</a>',
            reverse("admin:listings_case_change", args=[entry.case_id]),
            entry.case_label,
        )

    @admin.display(description=_("Note"))
    def short_note(self, entry):
        return Truncator(entry.note).chars(80)
