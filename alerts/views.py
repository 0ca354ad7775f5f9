"""Follow a case, ask for region alerts, confirm, change and unsubscribe through signed links.

The forms answer with the same page whatever the address's state. Links from
e-mails open a page with a button (so a mail scanner that follows links changes
nothing), except the one-click unsubscribe POST of RFC 8058, which needs no
session or CSRF token and may be repeated.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import get_language
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, ListView, TemplateView

from listings.models import Case

from . import subscriptions
from .forms import FollowCaseForm, RegionAlertForm, RegionChoiceForm
from .models import Subscription, unsign


class FollowCaseView(FormView):
    form_class = FollowCaseForm
    template_name = "alerts/follow.html"
    success_url = reverse_lazy("alerts:requested")

    def dispatch(self, request, *args, **kwargs):
        self.case = get_object_or_404(Case.objects.appealing(), slug=kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(case=self.case, **kwargs)

    def form_valid(self, form):
        subscriptions.subscribe_to_case(email=form.cleaned_data["email"], case=self.case, language=get_language())
        return super().form_valid(form)


class RegionAlertView(FormView):
    form_class = RegionAlertForm
    template_name = "alerts/regions.html"
    success_url = reverse_lazy("alerts:requested")

    def get_initial(self):
        user = self.request.user
        return {"email": user.email} if user.is_authenticated else {}

    def form_valid(self, form):
        subscriptions.subscribe_to_regions(
            email=form.cleaned_data["email"],
            regions=form.cleaned_data["regions"],
            frequency=form.cleaned_data["frequency"],
            language=get_language(),
        )
        return super().form_valid(form)


class RequestedView(TemplateView):
    template_name = "alerts/requested.html"


class SubscriptionLinkMixin:
    """Finds the subscription a signed link names; a forged or stale link is a 404."""

    def get_subscription(self):
        subscription = Subscription.objects.from_token(self.kwargs["token"])
        if subscription is None:
            raise Http404
        return subscription


@method_decorator(never_cache, name="dispatch")
class ConfirmView(SubscriptionLinkMixin, View):
    def get(self, request, token):
        return render(request, "alerts/confirm.html", {"subscription": self.get_subscription()})

    def post(self, request, token):
        subscriptions.confirm(self.get_subscription())
        return redirect(reverse("alerts:manage", kwargs={"token": token}) + "?confirmed=1")


@method_decorator(never_cache, name="dispatch")
class ManageView(SubscriptionLinkMixin, FormView):
    template_name = "alerts/manage.html"
    form_class = RegionChoiceForm

    def dispatch(self, request, *args, **kwargs):
        self.subscription = self.get_subscription()
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"regions": self.subscription.regions, "frequency": self.subscription.frequency}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            subscription=self.subscription, just_confirmed="confirmed" in self.request.GET, **kwargs
        )

    def form_valid(self, form):
        if self.subscription.follows_a_case:
            raise Http404
        subscriptions.change(
            self.subscription, regions=form.cleaned_data["regions"], frequency=form.cleaned_data["frequency"]
        )
        return redirect(reverse("alerts:manage", kwargs={"token": self.kwargs["token"]}) + "?saved=1")


@method_decorator([csrf_exempt, never_cache], name="dispatch")
class UnsubscribeView(View):
    """GET asks; POST (a mail client's one-click, or the page's button) deletes the address. Both idempotent."""

    def get(self, request, token):
        subscription = Subscription.objects.from_token(token)
        return render(request, "alerts/unsubscribe.html", {"subscription": subscription, "done": subscription is None})

    def post(self, request, token):
        if unsign(token) is None:
            raise Http404
        subscriptions.unsubscribe(Subscription.objects.from_token(token))
        return render(request, "alerts/unsubscribe.html", {"subscription": None, "done": True})


class MyAlertsView(LoginRequiredMixin, ListView):
    """A member's subscriptions: those of the account's e-mail address."""

    template_name = "alerts/mine.html"
    context_object_name = "subscriptions"

    def get_queryset(self):
        return Subscription.objects.filter(email__iexact=self.request.user.email).select_related("case")
