"""Member pages under /accounts/; log-in, log-out and the password flows are Django's auth URLs."""

from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("signup/", views.SignUpView.as_view(), name="signup"),
    path("signup/sent/", views.SignUpSentView.as_view(), name="signup_sent"),
    path("verify/<str:token>/", views.VerifyEmailView.as_view(), name="verify_email"),
    path("verify/", views.ResendVerificationView.as_view(), name="resend_verification"),
    path("submissions/", views.SubmissionsView.as_view(), name="submissions"),
    path("language/", views.LanguageView.as_view(), name="language"),
    path("submissions/<slug:slug>/edit/", views.SubmissionEditView.as_view(), name="submission_edit"),
    path("submissions/<slug:slug>/withdraw/", views.SubmissionWithdrawView.as_view(), name="submission_withdraw"),
]
