"""Sign-up and a member's own submissions; Django's auth views handle the rest."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import RedirectURLMixin
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import CreateView, ListView

from listings.models import Case

from .forms import SignUpForm


@method_decorator([sensitive_post_parameters("password1", "password2"), never_cache], name="dispatch")
class SignUpView(RedirectURLMixin, CreateView):
    """Create a member account, sign the new member in and send them on (to ?next= if safe)."""

    form_class = SignUpForm
    template_name = "accounts/signup.html"
    next_page = "accounts:submissions"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return HttpResponseRedirect(self.get_success_url())
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, **{self.redirect_field_name: self.get_redirect_url()})

    def form_valid(self, form):
        try:
            with transaction.atomic():
                self.object = form.save()
        except IntegrityError:
            # Another sign-up took the same username or e-mail between validation and saving.
            form.add_error(None, "That username or e-mail address was just taken. Please try again.")
            return self.form_invalid(form)
        login(self.request, self.object)
        messages.success(
            self.request,
            _("Welcome to %(site_name)s, %(username)s. Your account is ready.")
            % {"site_name": settings.SITE_NAME, "username": self.object.username},
        )
        return HttpResponseRedirect(self.get_success_url())


class SubmissionsView(LoginRequiredMixin, ListView):
    """The signed-in member's own cases, whatever their review state; never anyone else's."""

    template_name = "accounts/submissions.html"
    context_object_name = "cases"
    paginate_by = 25

    def get_queryset(self):
        user = self.request.user
        return Case.objects.filter(submitted_by=user).with_visible_photos(user).order_by("-created_at", "-id")
