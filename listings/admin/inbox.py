"""Tips and contact messages.

A contact message is read and marked handled. A tip has a chain (new, read,
forwarded to the police, closed) moved only through `listings.moderation`: opening a
new tip marks it read, the change form is where staff forward or close it, and the
bulk actions confirm with a note like the case moderation actions.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import model_ngettext
from django.core.exceptions import ValidationError
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .. import moderation
from ..models import ContactMessage, Tip, TipState
from .actions import moderation_actions


class InboxAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    @admin.display(description=_("Message"))
    def short_message(self, obj):
        return Truncator(obj.message).chars(80)


class TipMoveForm(forms.ModelForm):
    """What happened next to a tip: one move of `moderation.TIP_MOVES`, its details and a note."""

    move = forms.ChoiceField(label=_("Next step"), required=False)
    agency = forms.CharField(
        label=_("Police agency"),
        required=False,
        max_length=Tip._meta.get_field("forwarded_to_agency").max_length,
        help_text=_("Where the tip was sent, e.g. “RNC Major Crime” or “RCMP Happy Valley-Goose Bay”."),
    )
    officer = forms.CharField(
        label=_("Officer (optional)"), required=False, max_length=Tip._meta.get_field("forwarded_to_officer").max_length
    )
    note = forms.CharField(
        label=_("Staff note (optional)"),
        required=False,
        max_length=Tip._meta.get_field("staff_note").max_length,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=_("What was done or what came of it. Staff only; kept in the audit trail."),
    )

    class Meta:
        model = Tip
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        moves = [move for move in moderation.TIP_MOVES.values() if move.allowed_for(self.instance)]
        self.fields["move"].choices = [("", _("Nothing for now"))] + [(move.name, move.label) for move in moves]

    def clean(self):
        cleaned_data = super().clean()
        if cleaned_data.get("move") == "forward_tip" and not cleaned_data.get("agency", "").strip():
            self.add_error(
                "agency", ValidationError(_("Say which police agency the tip went to."), code="agency_required")
            )
        return cleaned_data

    def apply(self, *, by):
        """Make the chosen move through `listings.moderation`."""
        data = self.cleaned_data
        if data["move"] == "forward_tip":
            moderation.forward_tip(
                self.instance, by=by, agency=data["agency"], officer=data["officer"], note=data["note"]
            )
        elif data["move"]:
            getattr(moderation, data["move"])(self.instance, by=by, note=data["note"])


@admin.register(Tip)
class TipAdmin(InboxAdmin):
    form = TipMoveForm
    list_display = ["case", "short_message", "state", "forwarded_to_agency", "created_at"]
    list_display_links = ["short_message"]
    list_filter = ["state", ("case", admin.RelatedOnlyFieldListFilter), "created_at"]
    search_fields = ["message", "name", "email", "phone", "case__first_name", "case__last_name"]
    list_select_related = ["case"]
    # Forwarding needs an agency: that move is made on the tip's own page.
    actions = moderation_actions(
        [moderation.TIP_MOVES[name] for name in ("mark_tip_read", "close_tip", "reopen_tip")], permission="change"
    )
    readonly_fields = [
        "case",
        "created_at",
        "name",
        "email",
        "phone",
        "message",
        "state",
        "read_by",
        "read_at",
        "forwarded_to_agency",
        "forwarded_to_officer",
        "forwarded_by",
        "forwarded_at",
        "closed_by",
        "closed_at",
        "staff_note",
    ]
    fieldsets = [
        (_("The tip"), {"fields": ["case", "created_at", "name", "email", "phone", "message"]}),
        (
            _("What was done"),
            {
                "fields": [
                    "state",
                    ("read_by", "read_at"),
                    ("forwarded_to_agency", "forwarded_to_officer"),
                    ("forwarded_by", "forwarded_at"),
                    ("closed_by", "closed_at"),
                    "staff_note",
                ]
            },
        ),
        (_("Next step"), {"fields": ["move", "agency", "officer", "note"]}),
    ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            tip = self.get_object(request, object_id)
            if tip is not None and tip.state == TipState.NEW and self.has_change_permission(request, tip):
                moderation.mark_tip_read(tip, by=request.user)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        try:
            form.apply(by=request.user)
        except ValidationError as error:
            # Another moderator moved the tip meanwhile; say so instead of failing.
            self.message_user(request, " ".join(error.messages), messages.WARNING)

    def construct_change_message(self, request, form, formsets, add=False):
        move = form.cleaned_data.get("move")
        return [{"changed": {"fields": [str(moderation.TIP_MOVES[move].label)]}}] if move else []


@admin.register(ContactMessage)
class ContactMessageAdmin(InboxAdmin):
    list_display = ["subject", "name", "email", "created_at", "handled"]
    # No date_hierarchy on these timestamps: on MySQL it needs the server's time zone tables.
    list_filter = ["handled", "created_at"]
    search_fields = ["subject", "message", "name", "email"]
    fields = ["created_at", "name", "email", "subject", "message", "handled"]
    actions = ["mark_handled", "mark_unhandled"]

    def get_readonly_fields(self, request, obj=None):
        return [name for name in self.get_fields(request, obj) if name != "handled"]

    @admin.action(permissions=["change"], description=_("Mark selected as handled"))
    def mark_handled(self, request, queryset):
        count = queryset.update(handled=True)
        self.message_user(
            request,
            gettext("Marked %(count)d %(items)s as handled.")
            % {"count": count, "items": model_ngettext(queryset, count)},
            messages.SUCCESS,
        )

    @admin.action(permissions=["change"], description=_("Mark selected as not handled"))
    def mark_unhandled(self, request, queryset):
        count = queryset.update(handled=False)
        self.message_user(
            request,
            gettext("Marked %(count)d %(items)s as not handled.")
            % {"count": count, "items": model_ngettext(queryset, count)},
            messages.SUCCESS,
        )
