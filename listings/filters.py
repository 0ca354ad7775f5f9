"""Search and filters for the public listings; always applied on top of `Case.objects.published()`.

Without a status asked for, the listings show the open appeals (missing people) only.
"""

import re

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Case, CaseStatus, Region


class DateInput(forms.DateInput):
    """A date picker that echoes back only a real date: type=date cannot hold "yesterday" (valid HTML)."""

    input_type = "date"

    def format_value(self, value):
        value = super().format_value(value)
        return value if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)) else None


class NumberInput(forms.NumberInput):
    """A number field that echoes back only a number (the error message still says what was wrong)."""

    def format_value(self, value):
        value = super().format_value(value)
        try:
            float(value)
        except (TypeError, ValueError):
            return None
        return value


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label=_("Name or place"),
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    region = django_filters.ChoiceFilter(choices=Region.choices, empty_label=_("All regions"))
    # Found people are listed only when asked for, and then without details (includes/case_card.html).
    case_status = django_filters.ChoiceFilter(
        choices=CaseStatus.choices, label=_("Status"), empty_label=None, method="filter_case_status"
    )
    seen_after = django_filters.DateFilter(
        field_name="last_seen_date",
        lookup_expr="gte",
        label=_("Last seen from"),
        widget=DateInput(),
    )
    seen_before = django_filters.DateFilter(
        field_name="last_seen_date",
        lookup_expr="lte",
        label=_("Last seen until"),
        widget=DateInput(),
    )
    age_min = django_filters.NumberFilter(
        field_name="age_at_disappearance",
        lookup_expr="gte",
        label=_("Age from"),
        min_value=0,
        max_value=130,
        widget=NumberInput(),
    )
    age_max = django_filters.NumberFilter(
        field_name="age_at_disappearance",
        lookup_expr="lte",
        label=_("Age to"),
        min_value=0,
        max_value=130,
        widget=NumberInput(),
    )

    class Meta:
        model = Case
        fields = ["q", "region", "case_status", "seen_after", "seen_before", "age_min", "age_max"]

    def short_list_filters(self):
        """The filters asked for, as `search.ShortList.ranked` and `search.LongList.ranked` take them (the case
        status, missing unless another is asked for), or None when the form is not valid: a search ranked from
        its search rows applies them itself."""
        if not self.is_bound or not self.form.is_valid():
            return None
        data = self.form.cleaned_data
        return {
            "case_status": data.get("case_status") or CaseStatus.MISSING,
            "region": data.get("region") or None,
            **{name: data.get(name) for name in ("seen_after", "seen_before", "age_min", "age_max")},
        }

    def filter_search(self, queryset, name, value):
        return queryset.search(value)

    def filter_case_status(self, queryset, name, value):
        return queryset.filter(case_status=value)

    @property
    def qs(self):
        # Also when nothing was asked for at all (an unbound filter set never reaches filter_queryset).
        queryset = super().qs
        if self.is_bound and self.form.is_valid() and self.form.cleaned_data.get("case_status"):
            return queryset
        return queryset.filter(case_status=CaseStatus.MISSING)
