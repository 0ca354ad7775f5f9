"""Sign-up and a member's own submissions (list, correct, withdraw); Django's auth views handle the rest."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import RedirectURLMixin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.generic import DeleteView, FormView, ListView, TemplateView, UpdateView

from listings import moderation
from listings.forms import CaseCorrectionForm
from listings.models import SUBMITTER_EDITABLE, Case
from listings.submissions import SubmissionFailed, correct_submission
from staging.views import KeepPhotosOnErrorMixin

from .forms import LanguageForm, SignUpForm
from .signup import send_verification, sign_up, verified_user


@method_decorator([sensitive_post_parameters("password1", "password2"), never_cache], name="dispatch")
class SignUpView(RedirectURLMixin, FormView):
    """Sign-up: the same answer for every valid form; what happened is e-mailed (accounts/signup.py)."""

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
        sign_up(form)
        return HttpResponseRedirect(reverse("accounts:signup_sent"))


class SignUpSentView(TemplateView):
    template_name = "accounts/signup_sent.html"


class VerifyEmailView(View):
    """The link from the sign-up e-mail: the address is proven, the member may submit cases."""

    def get(self, request, token):
        user = verified_user(token)
        if user is None:
            return render(request, "accounts/verify_email_failed.html", status=400)
        messages.success(request, _("Thank you: your e-mail address is confirmed. You can now submit a case."))
        if request.user.is_authenticated:
            return HttpResponseRedirect(reverse("listings:submit"))
        return HttpResponseRedirect(f"{reverse('login')}?next={reverse('listings:submit')}")


class ResendVerificationView(LoginRequiredMixin, View):
    """A signed-in member who has not confirmed their address asks for the link again."""

    def post(self, request):
        if not request.user.email_verified:
            send_verification(request.user)
        messages.success(request, _("We have sent the link again to %(email)s.") % {"email": request.user.email})
        return HttpResponseRedirect(reverse("listings:submit"))


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
