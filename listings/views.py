"""The public site: home, listings and search, case pages, tips, resources, submission and contact.

Views stay thin. What a visitor may see comes from `Case.objects.published()` or
`.visible_to(user)` (listings/models.py); what a visitor may send is checked by
the forms (listings/forms.py); storing a submission is `submit_case`.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse_lazy
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import CreateView, DetailView, FormView, ListView, TemplateView
from django_filters.views import FilterView

from accounts.mixins import VerifiedEmailRequiredMixin
from staging.views import KeepPhotosOnErrorMixin

from . import notifications
from .filters import CaseFilter
from .forms import CaseSubmissionForm, ContactForm, TipForm
from .media import photo_response
from .models import Case, Photo, Resource
from .pagination import CappedPaginator
from .submissions import SubmissionFailed, submit_case

HOME_RECENTLY_UPDATED_CASES = 6


class HomeView(TemplateView):
    template_name = "listings/home.html"

    def get_context_data(self, **kwargs):
        cases = Case.objects.appealing().for_cards().recently_updated()
        return super().get_context_data(recently_updated_cases=cases[:HOME_RECENTLY_UPDATED_CASES], **kwargs)


class CaseListView(FilterView):
    """Published cases, newest first, filtered by `CaseFilter`.

    A request sent by static/js/search.js (header `X-Requested-With: fetch`)
    gets only the results region, so the page can swap it in as one types.
    """

    filterset_class = CaseFilter
    paginate_by = settings.LISTINGS_PAGE_SIZE
    template_name = "listings/case_list.html"
    partial_template_name = "listings/case_results.html"
    context_object_name = "cases"

    def get_queryset(self):
        return Case.objects.published().for_cards()

    def is_partial(self):
        return self.request.headers.get("X-Requested-With") == "fetch"

    def get_template_names(self):
        return [self.partial_template_name] if self.is_partial() else [self.template_name]

    def paginate_queryset(self, queryset, page_size):
        # A search's exact matches first, each page's rows fetched by id (listings/pagination.py).
        paginator = CappedPaginator(
            queryset,
            page_size,
            rows=self.get_queryset(),
            max_pages=settings.LISTINGS_MAX_PAGES,
            filters=self.filterset.short_list_filters(),
            allow_empty_first_page=True,
        )
        # An out-of-range or garbled page number shows the nearest page rather than an error.
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        patch_vary_headers(response, ["X-Requested-With"])
        return response


class CaseDetailView(DetailView):
    """The case page. It holds nothing personal (the tip form has its own page), so visitors get it from the cache."""

    template_name = "listings/case_detail.html"
    context_object_name = "case"

    def get_queryset(self):
        user = self.request.user
        return Case.objects.visible_to(user).with_visible_photos(user)

    def get(self, request, *args, **kwargs):
        try:
            response = super().get(request, *args, **kwargs)
        except Http404:
            if Case.objects.withdrawn().filter(slug=kwargs["slug"]).exists():
                return TemplateResponse(request, "listings/case_gone.html", status=410)
            raise
        if not self.object.is_appealing:
            response.headers["X-Robots-Tag"] = "noindex"
        return response

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            photos=self.object.visible_photos,
            # From SITE_URL, like the share card and the poster's QR code: the same for every visitor.
            share_url=f"{settings.SITE_URL}{self.object.get_absolute_url()}",
            **kwargs,
        )


class CaseTipView(CreateView):
    """A tip about a published case; it is stored for staff and never shown on the site.

    The form is on its own page, never cached, because it carries the visitor's CSRF token;
    the case page links to it and stays the same for every visitor.
    """

    form_class = TipForm
    template_name = "listings/case_tip.html"

    def dispatch(self, request, *args, **kwargs):
        self.case = get_object_or_404(Case.objects.appealing().with_visible_photos(), slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        form.instance.case = self.case
        with transaction.atomic():
            notifications.tip_received(form.save())
        messages.success(
            self.request,
            _(
                "Thank you. Your information was sent privately to the registry’s staff, "
                "who will pass it on to the police where it can help."
            ),
        )
        return redirect(self.case)

    def get_context_data(self, **kwargs):
        return super().get_context_data(case=self.case, **kwargs)


class PhotoView(View):
    """A photo's bytes (or a signed redirect), only after the privacy rule has let the request through."""

    def get(self, request, key, size):
        photos = Photo.objects.visible_to(request.user).select_related("case")
        return photo_response(get_object_or_404(photos, key=key), size)


class ResourceListView(ListView):
    template_name = "listings/resources.html"
    context_object_name = "resources"

    def get_queryset(self):
        return Resource.objects.select_related("category")


class SubmitCaseView(VerifiedEmailRequiredMixin, KeepPhotosOnErrorMixin, FormView):
    """A member's new case; photos that passed the checks are kept staged when the form has errors."""

    form_class = CaseSubmissionForm
    template_name = "listings/submit.html"
    success_url = reverse_lazy("accounts:submissions")

    def form_valid(self, form):
        try:
            case = submit_case(
                by=self.request.user,
                fields=form.submission_fields(),
                photos=[(photo, "") for photo in form.cleaned_data["photos"]],
                staged=form.cleaned_data["staged"],
            )
        except SubmissionFailed:
            form.add_error(
                None,
                ValidationError(
                    _("We could not store your photos just now. Nothing was saved; please try again in a few minutes."),
                    code="storage_unavailable",
                ),
            )
            # The storage itself failed: nothing is staged either, the member chooses the photos again.
            return self.render_to_response(self.get_context_data(form=form))
        notifications.case_submitted(case)
        messages.success(
            self.request,
            _(
                "Thank you. The case of %(name)s was sent for review; "
                "it will appear on the site once a moderator has published it."
            )
            % {"name": case.full_name},
        )
        return super().form_valid(form)


class ContactView(CreateView):
    form_class = ContactForm
    template_name = "listings/contact.html"
    success_url = reverse_lazy("listings:contact")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            notifications.contact_received(self.object)
        messages.success(self.request, _("Thank you. Your message was sent; we usually answer within a few days."))
        return response
