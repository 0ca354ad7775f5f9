"""Sign-up and a member's own submissions (list, correct, withdraw); Django's auth views handle the rest."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import RedirectURLMixin
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import CreateView, DeleteView, ListView, UpdateView

from listings import moderation
from listings.forms import CaseCorrectionForm
from listings.models import SUBMITTER_EDITABLE, Case
from listings.submissions import SubmissionFailed, correct_submission
from staging.views import KeepPhotosOnErrorMixin

from .forms import LanguageForm, SignUpForm


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
            form.add_error(None, _("That username or e-mail address was just taken. Please try again."))
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


class LanguageView(LoginRequiredMixin, UpdateView):
    """The signed-in member chooses the language of the e-mails the site sends them."""

    form_class = LanguageForm
    template_name = "accounts/language.html"
    success_url = reverse_lazy("accounts:submissions")

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request,
            _("Your e-mails will now be written in %(language)s.") % {"language": self.object.get_language_display()},
        )
        return response


class OwnEditableSubmissionMixin(LoginRequiredMixin):
    """The signed-in member's own case, while they may still change it; anything else is a 404."""

    context_object_name = "case"
    success_url = reverse_lazy("accounts:submissions")

    def get_queryset(self):
        return Case.objects.filter(
            submitted_by=self.request.user, review_state__in=SUBMITTER_EDITABLE
        ).with_visible_photos(self.request.user)


class SubmissionEditView(OwnEditableSubmissionMixin, KeepPhotosOnErrorMixin, UpdateView):
    """Correct a pending or rejected submission, its photos too; it goes (back) to the review queue."""

    form_class = CaseCorrectionForm
    template_name = "accounts/submission_edit.html"

    def form_valid(self, form):
        case = Case.objects.get(pk=self.object.pk)
        try:
            correct_submission(
                case,
                by=self.request.user,
                fields=form.submission_fields(),
                photos=[(photo, "") for photo in form.cleaned_data["photos"]],
                staged=form.cleaned_data["staged"],
                remove=form.cleaned_data["remove_photos"],
            )
        except SubmissionFailed:
            form.add_error(
                None,
                ValidationError(
                    _("We could not store your photos just now. Nothing was saved; please try again in a few minutes."),
                    code="storage_unavailable",
                ),
            )
            return self.render_to_response(self.get_context_data(form=form))
        except ValidationError as error:
            form.add_error(None, error)
            return self.render_to_response(self.get_context_data(form=form))
        messages.success(
            self.request,
            _("Your changes to the case of %(name)s were saved; it is waiting for review again.")
            % {"name": case.full_name},
        )
        return HttpResponseRedirect(self.get_success_url())


class SubmissionWithdrawView(OwnEditableSubmissionMixin, DeleteView):
    """Take back a pending or rejected submission: it is deleted with its photos."""

    template_name = "accounts/submission_withdraw.html"

    def form_valid(self, form):
        try:
            moderation.withdraw(self.object, by=self.request.user)
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
        else:
            messages.success(
                self.request,
                _("The case of %(name)s was withdrawn and deleted with its photos.") % {"name": self.object.full_name},
            )
        return HttpResponseRedirect(self.get_success_url())
