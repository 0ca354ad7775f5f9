"""Valid HTML: the Nu Html Checker (vnu-jar, on the machine's Java) finds no error on any public or
member page, in every form state: empty, with errors, and after success.

The pages are rendered by the site (Django's test client, demo data) and checked in one
Java run, since the JVM is slow to start. Warnings are allowed; errors are not.
"""

import json
import re
import subprocess
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.core.management import call_command
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts.tests.factories import UserFactory
from listings import moderation
from listings.models import Case
from listings.tests.factories import uploaded_jpeg

from .conftest import MEMBER

pytestmark = [pytest.mark.vnu, pytest.mark.django_db]


class Pages:
    """Collects rendered pages as files, named after what they show."""

    def __init__(self, folder):
        self.folder = folder
        self.files = {}

    def add(self, label, response, status=200):
        assert response.status_code == status, f"{label}: {response.status_code}"
        assert response["Content-Type"].startswith("text/html"), label
        path = self.folder / (re.sub(r"[^a-z0-9]+", "-", label.lower()).strip("-") + ".html")
        path.write_bytes(response.content)
        self.files[path.resolve()] = label
        return response


def render_everything(client, pages, django_capture_on_commit_callbacks):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    published = Case.objects.published().filter(case_status="missing").first()
    found = Case.objects.published().filter(case_status="found").first()

    # Public pages.
    pages.add("home", client.get("/"))
    pages.add("listings", client.get("/listings/"))
    pages.add("listings no results", client.get("/listings/?q=zzzz-nobody"))
    pages.add("listings filtered", client.get("/listings/?region=avalon&case_status=found&age_min=10"))
    pages.add("listings bad filter", client.get("/listings/?age_min=old&seen_after=yesterday"))
    pages.add("case missing", client.get(published.get_absolute_url()))
    pages.add("case found", client.get(found.get_absolute_url()))
    pages.add("resources", client.get("/resources/"))
    pages.add("about", client.get("/about/"))
    pages.add("privacy", client.get("/privacy/"))
    pages.add("not found", client.get("/listings/no-such-case/"), status=404)
    withdrawn = Case.objects.appealing().exclude(pk=published.pk).first()
    moderation.take_down(withdrawn, by=None)
    pages.add("case withdrawn", client.get(withdrawn.get_absolute_url()), status=410)

    # Tip: its page, with errors, then sent.
    tip_url = f"{published.get_absolute_url()}tip/"
    pages.add("tip", client.get(tip_url))
    pages.add("tip errors", client.post(tip_url, {"message": "short", "email": "not-an-address"}))
    pages.add("tip sent", client.post(tip_url, {"message": "Seen at the harbour on Sunday."}, follow=True))

    # Contact: empty, with errors, sent.
    pages.add("contact", client.get("/contact/"))
    pages.add("contact errors", client.post("/contact/", {"email": "nope"}))
    sent = {"name": "Sam", "email": "sam@example.org", "subject": "Hello", "message": "A question."}
    pages.add("contact sent", client.post("/contact/", sent, follow=True))

    # The same pages in French (/fr/), with their form errors.
    for label, path in [
        ("home", "/"),
        ("listings", "/listings/"),
        ("listings filtered", "/listings/?region=avalon&age_min=10"),
        ("case missing", published.get_absolute_url()),
        ("case found", found.get_absolute_url()),
        ("resources", "/resources/"),
        ("about", "/about/"),
        ("privacy", "/privacy/"),
        ("contact", "/contact/"),
        ("login", "/accounts/login/"),
        ("signup", "/accounts/signup/"),
    ]:
        pages.add(f"{label} in French", client.get(f"/fr{path}"))
    pages.add("not found in French", client.get("/fr/listings/no-such-case/"), status=404)
    pages.add("tip errors in French", client.post(f"/fr{tip_url}", {"message": "short", "email": "not-an-address"}))
    pages.add(
        "signup errors in French",
        client.post("/fr/accounts/signup/", {"username": "x", "email": "bad", "password1": "a", "password2": "b"}),
    )

    # Log-in, sign-up, password reset.
    pages.add("login", client.get("/accounts/login/"))
    pages.add("login errors", client.post("/accounts/login/", {"username": "nobody", "password": "wrong"}))
    pages.add("signup", client.get("/accounts/signup/"))
    pages.add(
        "signup errors",
        client.post("/accounts/signup/", {"username": "x", "email": "bad", "password1": "a", "password2": "b"}),
    )
    pages.add("password reset", client.get("/accounts/password_reset/"))
    pages.add("password reset errors", client.post("/accounts/password_reset/", {"email": "not-an-address"}))
    # The e-mail is queued when the transaction commits; the test's own transaction never does.
    with django_capture_on_commit_callbacks(execute=True):
        pages.add(
            "password reset sent",
            client.post("/accounts/password_reset/", {"email": "demo-member@example.org"}, follow=True),
        )
    assert mail.outbox
    user = UserFactory(username="resetting", email="resetting@example.org")
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    confirm = client.get(f"/accounts/reset/{uid}/{token}/", follow=True)
    pages.add("password reset confirm", confirm)
    set_password_url = confirm.redirect_chain[-1][0]
    pages.add(
        "password reset confirm errors",
        client.post(set_password_url, {"new_password1": "short", "new_password2": "other"}),
    )
    pages.add(
        "password reset complete",
        client.post(
            set_password_url,
            {"new_password1": "a long pass phrase 93", "new_password2": "a long pass phrase 93"},
            follow=True,
        ),
    )
    pages.add("password reset bad link", client.get(f"/accounts/reset/{uid}/bad-token/"))
    new_member = {
        "username": "newcomer",
        "email": "newcomer@example.org",
        "password1": "a long pass phrase 93",
        "password2": "a long pass phrase 93",
    }
    pages.add("signup done", client.post("/accounts/signup/", new_member, follow=True))
    client.logout()

    # Member pages.
    member = get_user_model().objects.get(username=MEMBER[0])
    member.set_password(MEMBER[1])
    member.save()
    client.force_login(member)
    pages.add("submissions", client.get("/accounts/submissions/"))
    pages.add("language of e-mails", client.get("/accounts/language/"))
    pages.add("submit", client.get("/submit/"))
    pages.add("submit errors", client.post("/submit/", {"first_name": "Only", "age_at_disappearance": "-3"}))
    submission = {
        "first_name": "Ottilie",
        "last_name": "Harbourglass",
        "age_at_disappearance": "28",
        "sex": "female",
        "last_seen_date": "2026-10-01",
        "last_seen_place": "Signal Hill",
        "region": "avalon",
        "circumstances": "Left for a walk.",
        "photos": [uploaded_jpeg("a.jpg"), uploaded_jpeg("b.jpg")],
    }
    pages.add("submit sent", client.post("/submit/", submission, follow=True))
    pending = Case.objects.get(last_name="Harbourglass")
    pages.add("case pending as submitter", client.get(pending.get_absolute_url()))
    pages.add("password change", client.get("/accounts/password_change/"))
    pages.add(
        "password change errors",
        client.post("/accounts/password_change/", {"old_password": "wrong", "new_password1": "x"}),
    )
    pages.add(
        "password change done",
        client.post(
            "/accounts/password_change/",
            {
                "old_password": MEMBER[1],
                "new_password1": "another long phrase 58",
                "new_password2": "another long phrase 58",
            },
            follow=True,
        ),
    )
    pages.add("logged out", client.post("/accounts/logout/", follow=True))


def run_vnu(vnu_jar, files):
    result = subprocess.run(
        ["java", "-Xss1024k", "-jar", str(vnu_jar), "--format", "json", "--stdout", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    return json.loads(result.stdout)["messages"]


def test_every_page_and_form_state_is_valid_html(client, tmp_path, vnu_jar, django_capture_on_commit_callbacks):
    pages = Pages(tmp_path)
    render_everything(client, pages, django_capture_on_commit_callbacks)
    assert len(pages.files) >= 35

    errors = []
    for message in run_vnu(vnu_jar, pages.files):
        if message["type"] not in ("error", "non-document-error") and message.get("subType") != "fatal":
            continue
        path = Path(message.get("url", "").removeprefix("file:")).resolve()
        label = pages.files.get(path, message.get("url"))
        errors.append(f"{label} line {message.get('lastLine')}: {message['message']} [{message.get('extract', '')}]")
    assert not errors, "Nu Html Checker errors:\n" + "\n".join(errors)
