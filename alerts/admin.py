"""Subscriptions by region and kind, and the public updates staff post on cases (through `post_update`)."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from listings.models import Case, Region

from .models import CaseUpdate, Subscription
from .moderation import post_update


class RegionFilter(admin.SimpleListFilter):
    title = _("region")
    parameter_name = "region"

    def lookups(self, request, model_admin):
        return [("province", _("Whole province")), *Region.choices]

    def queryset(self, request, queryset):
        if self.value() == "province":
            return queryset.filter(case__isnull=True, regions=[])
        if self.value() in Region.values:
            # Matches on every database: the JSON list is stored as text with each value quoted.
            return queryset.filter(case__isnull=True, regions__icontains=f'"{self.value()}"')
        return queryset


class KindFilter(admin.SimpleListFilter):
    title = _("kind")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return [("case", _("Follows a case")), ("regions", _("New cases in regions"))]

    def queryset(self, request, queryset):
        if self.value() == "case":
            return queryset.filter(case__isnull=False)
        if self.value() == "regions":
            return queryset.filter(case__isnull=True)
        return queryset


@admin.register(Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["email", "describe", "frequency", "language", "is_confirmed", "created_at"]
    list_filter = [KindFilter, RegionFilter, "frequency", "language", ("confirmed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email", "case__first_name", "case__last_name"]
    fields = ["email", "case", "regions", "frequency", "language", "created_at", "confirmed_at"]
    readonly_fields = fields
    list_select_related = ["case"]

    @admin.display(description=_("alert"))
    def describe(self, subscription):
        return subscription.describe()

    @admin.display(boolean=True, description=_("confirmed"))
    def is_confirmed(self, subscription):
        return subscription.is_confirmed

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CaseUpdateForm(forms.ModelForm):
    class Meta:
        model = CaseUpdate
        fields = ["case", "text"]
        help_texts = {"text": _("Shown on the case page with today's date and e-mailed to the case's followers.")}

    def clean(self):
        cleaned = super().clean()
        case = cleaned.get("case")
        if case is not None and not case.is_published:
            raise ValidationError(_("Updates are posted only on published cases."), code="invalid_transition")
        return cleaned


@admin.register(CaseUpdate)
class CaseUpdateAdmin(admin.ModelAdmin):
    """Staff post an update here; it is e-mailed to followers at once, so it is never edited afterwards."""

    list_display = ["case", "posted_at", "posted_by", "text"]
    list_filter = ["posted_at"]
    search_fields = ["case__first_name", "case__last_name", "text"]
    form = CaseUpdateForm

    def get_readonly_fields(self, request, obj=None):
        return ["case", "text", "posted_at", "posted_by"] if obj else []

    def get_fields(self, request, obj=None):
        return ["case", "text", "posted_at", "posted_by"] if obj else ["case", "text"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "case":
            kwargs["queryset"] = Case.objects.published().order_by("last_name", "first_name")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        obj.pk = post_update(obj.case, by=request.user, text=obj.text).pk
