"""The chain of a tip: new, read, forwarded to the police, closed; who and when, each move audited."""

import datetime

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from listings import moderation, notifications
from listings.models import AuditAction, AuditEntry, Tip, TipState
from listings.tests.factories import CaseFactory, ContactMessageFactory, TipFactory

pytestmark = pytest.mark.django_db


def tip_change_url(tip):
    return reverse("admin:listings_tip_change", args=[tip.pk])


def tip_audit(tip):
    return list(AuditEntry.objects.filter(tip=tip).order_by("id").values_list("action", "from_value", "to_value"))


class TestModerationFunctions:
    def test_read_forward_close_reopen_record_who_and_when(self, moderator):
        tip = TipFactory()

        moderation.mark_tip_read(tip, by=moderator)
        assert (tip.state, tip.read_by) == (TipState.READ, moderator) and tip.read_at
        moderation.forward_tip(tip, by=moderator, agency="RNC Major Crime", officer="Cst. Hynes", note="By phone")
        assert (tip.state, tip.forwarded_by, tip.forwarded_to_agency, tip.forwarded_to_officer) == (
            TipState.FORWARDED,
            moderator,
            "RNC Major Crime",
            "Cst. Hynes",
        )
        assert tip.forwarded_at and tip.staff_note == "By phone"
        moderation.close_tip(tip, by=moderator, note="Police thanked the sender")
        assert (tip.state, tip.closed_by, tip.staff_note) == (TipState.CLOSED, moderator, "Police thanked the sender")
        moderation.reopen_tip(tip, by=moderator)
        tip.refresh_from_db()
        assert (tip.state, tip.closed_by, tip.closed_at) == (TipState.READ, None, None)

        assert tip_audit(tip) == [
            (AuditAction.TIP_READ, "new", "read"),
            (AuditAction.TIP_FORWARDED, "read", "forwarded"),
            (AuditAction.TIP_CLOSED, "forwarded", "closed"),
            (AuditAction.TIP_REOPENED, "closed", "read"),
        ]
        forwarded = AuditEntry.objects.get(tip=tip, action=AuditAction.TIP_FORWARDED)
        assert (forwarded.actor, forwarded.case) == (moderator, tip.case)
        assert "RNC Major Crime (Cst. Hynes)" in forwarded.note and "By phone" in forwarded.note

    def test_forwarding_a_new_tip_also_records_who_read_it(self, moderator):
        tip = TipFactory()

        moderation.forward_tip(tip, by=moderator, agency="RCMP Gander")

        tip.refresh_from_db()
        assert (tip.state, tip.read_by) == (TipState.FORWARDED, moderator)

    @pytest.mark.parametrize(
        ("state", "move"),
        [
            (TipState.READ, moderation.mark_tip_read),
            (TipState.CLOSED, moderation.close_tip),
            (TipState.NEW, moderation.reopen_tip),
        ],
    )
    def test_a_move_not_allowed_from_the_state_is_refused_and_nothing_recorded(self, moderator, state, move):
        tip = TipFactory(state=state)

        with pytest.raises(ValidationError) as error:
            move(tip, by=moderator)

        assert error.value.code == "invalid_transition"
        assert tip_audit(tip) == []

    def test_forwarding_needs_an_agency(self, moderator):
        tip = TipFactory()

        with pytest.raises(ValidationError) as error:
            moderation.forward_tip(tip, by=moderator, agency="  ")

        assert error.value.code == "agency_required"
        tip.refresh_from_db()
        assert tip.state == TipState.NEW


class TestInbox:
    def test_opening_a_new_tip_marks_it_read_once(self, moderator_client, moderator):
        tip = TipFactory()

        assert moderator_client.get(tip_change_url(tip)).status_code == 200
        moderator_client.get(tip_change_url(tip))

        tip.refresh_from_db()
        assert (tip.state, tip.read_by) == (TipState.READ, moderator)
        assert tip_audit(tip) == [(AuditAction.TIP_READ, "new", "read")]

    def test_forward_from_the_tips_page(self, moderator_client, moderator):
        tip = TipFactory(state=TipState.READ)

        response = moderator_client.post(
            tip_change_url(tip),
            {"move": "forward_tip", "agency": "RCMP Happy Valley-Goose Bay", "officer": "", "note": "Faxed"},
        )

        assert response.status_code == 302
        tip.refresh_from_db()
        assert (tip.state, tip.forwarded_by, tip.forwarded_to_agency, tip.staff_note) == (
            TipState.FORWARDED,
            moderator,
            "RCMP Happy Valley-Goose Bay",
            "Faxed",
        )
        assert tip_audit(tip) == [(AuditAction.TIP_FORWARDED, "read", "forwarded")]

    def test_forward_without_an_agency_is_a_form_error(self, moderator_client):
        tip = TipFactory(state=TipState.READ)

        response = moderator_client.post(tip_change_url(tip), {"move": "forward_tip", "agency": "", "note": ""})

        assert response.status_code == 200
        errors = response.context["adminform"].form.errors.as_data()["agency"]
        assert [error.code for error in errors] == ["agency_required"]
        tip.refresh_from_db()
        assert tip.state == TipState.READ

    def test_only_the_moves_allowed_now_are_offered(self, moderator_client):
        tip = TipFactory(state=TipState.CLOSED)

        form = moderator_client.get(tip_change_url(tip)).context["adminform"].form

        assert [value for value, _label in form.fields["move"].choices] == ["", "reopen_tip"]

    def test_bulk_close_with_a_note(self, moderator_client, moderator):
        tips = [TipFactory(), TipFactory(state=TipState.FORWARDED)]
        url = reverse("admin:listings_tip_changelist")
        ids = [tip.pk for tip in tips]

        page = moderator_client.post(url, {"action": "close_tip", ACTION_CHECKBOX_NAME: ids})
        assert 'name="note"' in page.text
        moderator_client.post(url, {"action": "close_tip", ACTION_CHECKBOX_NAME: ids, "post": "yes", "note": "Done"})

        assert set(Tip.objects.values_list("state", "closed_by", "staff_note")) == {
            (TipState.CLOSED, moderator.pk, "Done")
        }
        assert AuditEntry.objects.filter(action=AuditAction.TIP_CLOSED, actor=moderator).count() == 2

    def test_inbox_filters_by_state_and_case(self, moderator_client):
        new = TipFactory()
        TipFactory(state=TipState.CLOSED)
        other_case = CaseFactory(published=True)
        about_other = TipFactory(case=other_case)
        url = reverse("admin:listings_tip_changelist")

        by_state = moderator_client.get(url, {"state__exact": "new"}).context["cl"].result_list
        by_case = moderator_client.get(url, {"case__id__exact": other_case.pk}).context["cl"].result_list

        assert set(by_state) == {new, about_other}
        assert list(by_case) == [about_other]

    def test_a_moderator_cannot_manage_users(self, moderator_client):
        assert moderator_client.get(reverse("admin:accounts_user_changelist")).status_code == 403

    def test_a_tips_name_shows_the_local_date(self, settings):
        settings.TIME_ZONE = "America/St_Johns"
        tip = TipFactory()
        Tip.objects.filter(pk=tip.pk).update(created_at=datetime.datetime(2026, 3, 2, 2, 0, tzinfo=datetime.UTC))
        tip.refresh_from_db()

        assert "(2026-03-01 22:30)" in str(tip)


class TestStaffMail:
    def test_subjects_carry_the_sites_name(self, settings, django_capture_on_commit_callbacks):
        settings.MANAGERS = [("Managers", "managers@example.org")]

        with django_capture_on_commit_callbacks(execute=True):
            notifications.tip_received(TipFactory())

        (message,) = mail.outbox
        assert message.subject.startswith("[LostInNL] ")

    def test_contact_notice_replies_to_the_sender(self, settings, django_capture_on_commit_callbacks):
        settings.MANAGERS = [("Managers", "managers@example.org")]

        with django_capture_on_commit_callbacks(execute=True):
            notifications.contact_received(ContactMessageFactory(email="writer@example.org"))

        (message,) = mail.outbox
        assert message.message()["Reply-To"] == "writer@example.org"
        assert message.to == ["managers@example.org"]
        assert message.subject.startswith("[LostInNL] ")
