"""Moderation actions: one confirmation page with a note, built from `listings.moderation`'s table of moves."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import model_ngettext
from django.core.exceptions import ValidationError
from django.db.models import Case as Switch
from django.db.models import Value, When
from django.template.response import TemplateResponse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import moderation
from ..models import AuditEntry, Case, ReviewState

# Pending rows sort before everything else, so a changelist opens as a queue.
PENDING_FIRST = Switch(When(review_state=ReviewState.PENDING, then=Value(0)), default=Value(1)).asc()


class ModerationNoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note for the audit trail (optional)"),
        required=False,
        max_length=AuditEntry._meta.get_field("note").max_length,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=gettext_lazy("Why this change is made, e.g. “Confirmed with the RNC file officer”."),
    )


class RejectionForm(ModerationNoteForm):
    reason = forms.CharField(
        label=gettext_lazy("Reason for the submitter (optional)"),
        required=False,
        max_length=Case._meta.get_field("rejection_reason").max_length,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 60}),
        help_text=gettext_lazy(
            "Shown to the member who submitted the case, on their submissions page. Write it for them: "
            "what is missing or why the case cannot be published. The note above stays private."
        ),
    )

    field_order = ["reason", "note"]


# Moves whose confirmation asks for more than a note; each extra field is a keyword of the move's function.
MOVE_FORMS = {"reject": RejectionForm}


def moderate_with_note(modeladmin, request, queryset, *, move, extra_context=None):
    """Confirm a moderation move on an intermediate page, then make it for each object.

    An object for which the move is not allowed is reported and skipped; the others still change.
    """
    change = getattr(moderation, move.name)
    opts = modeladmin.model._meta
    form_class = MOVE_FORMS.get(move.name, ModerationNoteForm)
    if request.POST.get("post") == "yes":
        form = form_class(request.POST)
        if form.is_valid():
            done, refused = 0, []
            for obj in queryset:
                try:
                    change(obj, by=request.user, **form.cleaned_data)
                except ValidationError as error:
                    refused.append(f"{obj}: {' '.join(error.messages)}")
                else:
                    done += 1
            if done:
                modeladmin.message_user(
                    request,
                    _("%(done)s: %(count)d %(items)s.")
                    % {"done": capfirst(move.done), "count": done, "items": model_ngettext(opts, done)},
                    messages.SUCCESS,
                )
            for message in refused:
                modeladmin.message_user(
                    request, _("Not %(done)s: %(reason)s") % {"done": move.done, "reason": message}, messages.WARNING
                )
            return None
    else:
        form = form_class()
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": _("%(done)s %(items)s?") % {"done": capfirst(move.done), "items": opts.verbose_name_plural},
        "subtitle": None,
        "verb": move.done,
        "action_name": move.name,
        "objects": queryset,
        "form": form,
        "opts": opts,
        "app_label": opts.app_label,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media,
        **(extra_context or {}),
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "admin/listings/moderation_confirmation.html", context)


def moderation_actions(moves, *, permission="moderate"):
    """One admin action per move, named after its moderation function, for staff with `permission`."""
    return [_moderation_action(move, permission) for move in moves]


def _moderation_action(move, permission):
    @admin.action(permissions=[permission], description=move.description)
    def action(modeladmin, request, queryset):
        return moderate_with_note(modeladmin, request, queryset, move=move)

    action.__name__ = move.name
    return action


class ModerationActionsMixin:
    """The `moderate` permission behind `@admin.action(permissions=["moderate"])`."""

    def has_moderate_permission(self, request):
        return request.user.has_perm("listings.moderate_case")
