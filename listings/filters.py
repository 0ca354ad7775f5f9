"""Search and filters for the public listings; always applied on top of `Case.objects.published()`."""

import django_filters
from django import forms

from .models import Case, CaseStatus, Region


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="filter_search",
        label="Name or place",
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    region = django_filters.ChoiceFilter(choices=Region.choices, empty_label="All regions")
    case_status = django_filters.ChoiceFilter(
        choices=CaseStatus.choices, label="Status", empty_label="Any status"
    )
    seen_after = django_filters.DateFilter(
        field_name="last_seen_date",
        lookup_expr="gte",
        label="Last seen from",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    seen_before = django_filters.DateFilter(
        field_name="last_seen_date",
        lookup_expr="lte",
        label="Last seen until",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    age_min = django_filters.NumberFilter(
        field_name="age_at_disappearance", lookup_expr="gte", label="Age from", min_value=0, max_value=130
    )
    age_max = django_filters.NumberFilter(
        field_name="age_at_disappearance", lookup_expr="lte", label="Age to", min_value=0, max_value=130
    )

    class Meta:
        model = Case
        fields = ["q", "region", "case_status", "seen_after", "seen_before", "age_min", "age_max"]

    def filter_search(self, queryset, name, value):
        return queryset.search(value)
