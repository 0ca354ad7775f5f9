"""The admin back office as a moderator uses it: queue, bulk actions, edits, inboxes, audit trail."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils.html import escape

from accounts.tests.factories import StaffFactory, UserFactory
from listings import moderation
from listings.models import AuditAction, AuditEntry, Case, CaseStatus, ContactMessage, Photo, ReviewState, Tip
from listings.tests.factories import (
    CaseFactory,
    ContactMessageFactory,
    PhotoFactory,
    ResourceFactory,
    TipFactory,
)

pytestmark = pytest.mark.django_db


def changelist(model):
    return reverse(f"admin:listings_{model._meta.model_name}_changelist")


def change_url(obj):
    return reverse(f"admin:listings_{obj._meta.model_name}_change", args=[obj.pk])


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def run_action(client, action, objects, note="", model=Case):
    """The two steps of a confirmed bulk action: the intermediate page, then the confirmation."""
    ids = [str(obj.pk) for obj in objects]
    url = changelist(model)
    page = client.post(url, {"action": action, ACTION_CHECKBOX_NAME: ids})
    assert page.status_code == 200
    assert "admin/listings/moderation_confirmation.html" in [t.name for t in page.templates]
    assert 'name="note"' in page.text
    response = client.post(url, {"action": action, ACTION_CHECKBOX_NAME: ids, "post": "yes", "note": note})
    assert response.status_code == 302
    return response


def change_form_data(client, url):
    """What the browser would post back unchanged from the change form (main form and inlines)."""
    context = client.get(url).context
    data = {}

    def add_form(form):
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = value.pk if hasattr(value, "pk") else value

    add_form(context["adminform"].form)
    for inline in context["inline_admin_formsets"]:
        management = inline.formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        for form in inline.formset.initial_forms:
            add_form(form)
    return data


class TestPagesRenderForAModerator:
    def test_case_changelist_is_a_queue_with_pending_first_and_counts(self, moderator_client):
        published = CaseFactory(published=True, last_name="Publishedson")
        pending = CaseFactory(last_name="Pendingham")
        PhotoFactory(case=pending)

        response = moderator_client.get(changelist(Case))

        assert response.status_code == 200
        assert list(response.context["cl"].result_list) == [pending, published]
        assert response.context["pending_cases"] == 1
        assert response.context["pending_photos"] == 1
        assert "1 pending case" in response.text
        assert "?review_state__exact=pending" in response.text

    def test_pending_review_link_filters_the_queue(self, moderator_client):
        CaseFactory(published=True)
        pending = CaseFactory()

        response = moderator_client.get(changelist(Case) + "?review_state__exact=pending")

        assert list(response.context["cl"].result_list) == [pending]

    def test_photo_queue_filters_only_by_states_a_photo_can_be_in(self, moderator_client):
        PhotoFactory()

        response = moderator_client.get(changelist(Photo))

        assert "?review_state__exact=rejected" in response.text
        assert "?review_state__exact=withdrawn" not in response.text
        assert "?case__review_state__exact=withdrawn" in response.text  # a case can be withdrawn

    def test_case_change_form_shows_photo_preview_and_audit_trail(self, moderator_client, moderator):
        case = CaseFactory()
        photo = PhotoFactory(case=case)
        moderation.publish(case, by=moderator, note="Looks right")

        response = moderator_client.get(change_url(case))

        assert response.status_code == 200
        assert reverse("listings:photo", kwargs={"key": photo.key, "size": "thumb"}) in response.text
        assert "Looks right" in response.text
        form = response.context["adminform"].form
        assert "review_state" not in form.fields
        assert "case_status" not in form.fields

    def test_search_finds_by_police_file_number(self, moderator_client):
        case = CaseFactory(police_file_number="RNC-2026-77777")
        CaseFactory()

        response = moderator_client.get(changelist(Case), {"q": "77777"})

        assert list(response.context["cl"].result_list) == [case]

    @pytest.mark.parametrize(
        "make, model",
        [
            (lambda: TipFactory(), Tip),
            (lambda: ContactMessageFactory(), ContactMessage),
            (lambda: PhotoFactory(), Photo),
            (lambda: AuditEntry.objects.create(case_label="A case", action=AuditAction.EDITED), AuditEntry),
            (lambda: ResourceFactory(), None),
        ],
        ids=["tip", "contact", "photo", "audit", "resource"],
    )
    def test_inbox_and_list_pages_render(self, moderator_client, make, model):
        obj = make()
        model = model or type(obj)

        listed = moderator_client.get(changelist(model))
        shown = moderator_client.get(change_url(obj))

        assert listed.status_code == shown.status_code == 200
        assert list(listed.context["cl"].result_list) == [obj]
        assert change_url(obj) in listed.text
        assert escape(str(obj)) in shown.text

    def test_resource_category_page_renders_with_inline_resources(self, moderator_client):
        resource = ResourceFactory(title="Royal Newfoundland Constabulary")

        response = moderator_client.get(change_url(resource.category))

        assert response.status_code == 200
        assert "Royal Newfoundland Constabulary" in response.text

    def test_tip_fields_are_read_only_but_for_the_next_step(self, moderator_client):
        tip = TipFactory()

        form = moderator_client.get(change_url(tip)).context["adminform"].form

        assert list(form.fields) == ["move", "agency", "officer", "note"]
        assert moderator_client.get(reverse("admin:listings_tip_add")).status_code == 403


class TestBulkModeration:
    def test_publish_with_a_note_records_actor_and_note(self, moderator_client, moderator):
        cases = [CaseFactory(), CaseFactory()]

        response = run_action(moderator_client, "publish", cases, note="Confirmed with RNC")

        assert "Published: 2 cases." in messages_of(response)
        for case in cases:
            case.refresh_from_db()
            assert case.review_state == ReviewState.PUBLISHED
            entry = AuditEntry.objects.get(case=case, action=AuditAction.PUBLISHED)
            assert (entry.actor, entry.note) == (moderator, "Confirmed with RNC")

    @pytest.mark.parametrize(
        "action, start, field, expected, audit_action",
        [
            ("reject", {}, "review_state", ReviewState.REJECTED, AuditAction.REJECTED),
            ("mark_found", {"published": True}, "case_status", CaseStatus.FOUND, AuditAction.MARKED_FOUND),
            (
                "mark_missing",
                {"published": True, "case_status": CaseStatus.FOUND},
                "case_status",
                CaseStatus.MISSING,
                AuditAction.MARKED_MISSING,
            ),
            ("unpublish", {"published": True}, "review_state", ReviewState.PENDING, AuditAction.UNPUBLISHED),
            ("take_down", {"found": True}, "review_state", ReviewState.WITHDRAWN, AuditAction.TAKEN_DOWN),
            ("restore", {"withdrawn": True}, "review_state", ReviewState.PUBLISHED, AuditAction.RESTORED),
        ],
    )
    def test_each_action_changes_state_through_moderation(
        self, moderator_client, moderator, action, start, field, expected, audit_action
    ):
        case = CaseFactory(**start)

        run_action(moderator_client, action, [case], note="Family called")

        case.refresh_from_db()
        assert getattr(case, field) == expected
        entry = AuditEntry.objects.get(case=case, action=audit_action)
        assert (entry.actor, entry.note) == (moderator, "Family called")

    def test_invalid_transition_is_reported_and_the_others_still_change(self, moderator_client):
        pending, published = CaseFactory(), CaseFactory(published=True)

        response = run_action(moderator_client, "unpublish", [pending, published])

        texts = messages_of(response)
        assert any(text.startswith("Not unpublished:") and str(pending) in text for text in texts)
        assert "Unpublished: 1 case." in texts
        assert Case.objects.get(pk=pending.pk).review_state == ReviewState.PENDING
        assert Case.objects.get(pk=published.pk).review_state == ReviewState.PENDING
        assert not AuditEntry.objects.filter(case=pending).exists()

    def test_cancelled_page_changes_nothing(self, moderator_client):
        case = CaseFactory()

        moderator_client.post(changelist(Case), {"action": "publish", ACTION_CHECKBOX_NAME: [case.pk]})

        assert Case.objects.get(pk=case.pk).review_state == ReviewState.PENDING
        assert not AuditEntry.objects.exists()

    def test_photo_actions_publish_and_reject_photos(self, moderator_client, moderator):
        case = CaseFactory(published=True)
        good, bad = (
            PhotoFactory(case=case, review_state=ReviewState.PENDING),
            PhotoFactory(case=case, review_state=ReviewState.PENDING),
        )

        run_action(moderator_client, "publish_photo", [good], note="Clear face", model=Photo)
        run_action(moderator_client, "reject_photo", [bad], note="Blurred", model=Photo)

        good.refresh_from_db()
        bad.refresh_from_db()
        assert (good.review_state, bad.review_state) == (ReviewState.PUBLISHED, ReviewState.REJECTED)
        assert AuditEntry.objects.get(photo=bad, action=AuditAction.PHOTO_REJECTED).note == "Blurred"

    def test_staff_without_moderate_permission_cannot_run_actions(self, client):
        staff = StaffFactory()
        staff.user_permissions.add(
            Permission.objects.get(codename="view_case"), Permission.objects.get(codename="change_case")
        )
        client.force_login(staff)
        case = CaseFactory()

        response = client.get(changelist(Case))
        action_form = response.context["action_form"]
        assert action_form is None or "publish" not in dict(action_form.fields["action"].choices)
        client.post(
            changelist(Case),
            {"action": "publish", ACTION_CHECKBOX_NAME: [case.pk], "post": "yes", "note": ""},
        )

        assert Case.objects.get(pk=case.pk).review_state == ReviewState.PENDING


class TestStaffEdits:
    def test_change_form_save_writes_an_edited_row_per_changed_field(self, moderator_client, moderator):
        case = CaseFactory(last_seen_place="Water Street, St. John's", hair_colour="Black")
        url = change_url(case)
        data = change_form_data(moderator_client, url)
        data.update({"last_seen_place": "Duckworth Street, St. John's", "hair_colour": "Brown"})

        response = moderator_client.post(url, data)

        assert response.status_code == 302, response.context["adminform"].form.errors
        entries = {entry.field: entry for entry in AuditEntry.objects.filter(case=case, action=AuditAction.EDITED)}
        assert set(entries) == {"last_seen_place", "hair_colour"}
        place = entries["last_seen_place"]
        assert (place.from_value, place.to_value, place.actor) == (
            "Water Street, St. John's",
            "Duckworth Street, St. John's",
            moderator,
        )
        assert Case.objects.get(pk=case.pk).review_state == ReviewState.PENDING

    def test_review_state_cannot_be_posted_through_the_form(self, moderator_client):
        case = CaseFactory()
        url = change_url(case)
        data = change_form_data(moderator_client, url)
        data.update({"review_state": ReviewState.PUBLISHED, "case_status": CaseStatus.FOUND})

        moderator_client.post(url, data)

        case.refresh_from_db()
        assert (case.review_state, case.case_status) == (ReviewState.PENDING, CaseStatus.MISSING)
        assert not AuditEntry.objects.filter(case=case).exists()

    def test_photo_caption_edit_in_the_inline_is_audited(self, moderator_client):
        case = CaseFactory()
        photo = PhotoFactory(case=case, caption="")
        url = change_url(case)
        data = change_form_data(moderator_client, url)
        data["photos-0-caption"] = "Taken last summer"

        assert moderator_client.post(url, data).status_code == 302

        assert Photo.objects.get(pk=photo.pk).caption == "Taken last summer"
        entry = AuditEntry.objects.get(case=case, action=AuditAction.EDITED)
        assert (entry.field, entry.to_value, entry.photo) == ("photo.caption", "Taken last summer", photo)


class TestAuditTrailIsReadOnly:
    @pytest.fixture
    def entry(self, moderator):
        case = CaseFactory()
        moderation.publish(case, by=moderator, note="Original note")
        return AuditEntry.objects.get(case=case, action=AuditAction.PUBLISHED)

    @pytest.mark.parametrize("as_superuser", [False, True], ids=["moderator", "superuser"])
    def test_no_one_can_add_change_or_delete_audit_entries(self, client, moderator, entry, as_superuser):
        user = UserFactory(username="root", is_staff=True, is_superuser=True) if as_superuser else moderator
        client.force_login(user)

        view = client.get(change_url(entry))
        assert view.status_code == 200
        assert "Original note" in view.text
        assert not view.context["has_change_permission"]
        assert client.post(change_url(entry), {"note": "rewritten"}).status_code == 403
        assert client.get(reverse("admin:listings_auditentry_add")).status_code == 403
        assert (
            client.post(reverse("admin:listings_auditentry_delete", args=[entry.pk]), {"post": "yes"}).status_code
            == 403
        )
        assert AuditEntry.objects.get(pk=entry.pk).note == "Original note"

    def test_audit_list_has_no_delete_action(self, moderator_client, entry):
        response = moderator_client.get(changelist(AuditEntry))

        assert response.status_code == 200
        assert response.context["action_form"] is None

    def test_audit_inline_on_the_case_is_view_only(self, moderator_client, entry):
        response = moderator_client.get(change_url(entry.case))

        audit_inline = next(
            inline for inline in response.context["inline_admin_formsets"] if inline.formset.model is AuditEntry
        )
        assert not audit_inline.has_add_permission
        assert not audit_inline.has_change_permission
        assert not audit_inline.has_delete_permission


class TestInboxes:
    def test_unhandled_filter_on_contact_messages(self, moderator_client):
        ContactMessageFactory(handled=True)
        open_message = ContactMessageFactory(subject="Still open")

        response = moderator_client.get(changelist(ContactMessage), {"handled__exact": "0"})

        assert list(response.context["cl"].result_list) == [open_message]


class TestChangeFormButtons:
    def test_buttons_follow_the_case_state(self, moderator_client):
        case = CaseFactory()

        response = moderator_client.get(change_url(case))

        labels = [label for _, label in response.context["moderation_links"]]
        assert labels == ["Publish", "Reject", "Mark found"]

    def test_publish_button_confirms_with_a_note(self, moderator_client, moderator):
        case = CaseFactory()
        url = reverse("admin:listings_case_moderate", args=[case.pk, "publish"])

        page = moderator_client.get(url)
        assert page.status_code == 200
        assert 'name="note"' in page.text
        assert Case.objects.get(pk=case.pk).review_state == ReviewState.PENDING

        response = moderator_client.post(url, {"post": "yes", "note": "Checked by phone"})

        assert response.status_code == 302
        assert response.url == change_url(case)
        entry = AuditEntry.objects.get(case=case, action=AuditAction.PUBLISHED)
        assert (entry.actor, entry.note) == (moderator, "Checked by phone")

    def test_unavailable_button_action_is_refused_politely(self, moderator_client):
        case = CaseFactory()

        response = moderator_client.post(
            reverse("admin:listings_case_moderate", args=[case.pk, "unpublish"]), {"post": "yes"}
        )

        assert response.status_code == 302
        assert "not available" in messages_of(response)[0]
        assert not AuditEntry.objects.exists()

    def test_button_needs_the_moderate_permission(self, client):
        staff = StaffFactory()
        staff.user_permissions.add(Permission.objects.get(codename="change_case"))
        client.force_login(staff)
        case = CaseFactory()

        url = reverse("admin:listings_case_moderate", args=[case.pk, "publish"])
        assert client.post(url, {"post": "yes"}).status_code == 403
        assert "moderation_links" not in client.get(change_url(case)).context


def test_deleting_a_photo_in_the_admin_is_audited(admin_client, admin_user):
    photo = PhotoFactory(case=CaseFactory())

    response = admin_client.post(reverse("admin:listings_photo_delete", args=[photo.pk]), {"post": "yes"})

    assert response.status_code == 302
    assert not Photo.objects.filter(pk=photo.pk).exists()
    entry = AuditEntry.objects.get(action=AuditAction.DELETED)
    assert (entry.actor, entry.field, entry.from_value) == (admin_user, "photo", str(photo.key))


def test_deleting_cases_in_the_admin_is_audited(admin_client, admin_user):
    cases = CaseFactory.create_batch(2)

    response = admin_client.post(
        reverse("admin:listings_case_changelist"),
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [case.pk for case in cases], "post": "yes"},
    )

    assert response.status_code == 302
    assert not Case.objects.exists()
    assert sorted(AuditEntry.objects.filter(action=AuditAction.DELETED).values_list("case_label", flat=True)) == sorted(
        str(case) for case in cases
    )
