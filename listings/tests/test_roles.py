"""The Moderators group: it can moderate, and it cannot administer people."""

from io import StringIO

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from accounts.tests.factories import StaffFactory
from listings.models import AuditAction, AuditEntry, Case, ReviewState
from listings.roles import MODERATOR_PERMISSIONS, MODERATORS_GROUP, ensure_moderators_group
from listings.tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


def permission_labels(group):
    return {(p.content_type.app_label, p.codename) for p in group.permissions.select_related("content_type")}


def test_migration_creates_the_group_with_exactly_the_moderation_permissions():
    group = Group.objects.get(name=MODERATORS_GROUP)

    assert permission_labels(group) == set(MODERATOR_PERMISSIONS)


def test_group_has_no_user_or_group_administration():
    group, *_ = ensure_moderators_group()

    apps = {app_label for app_label, _ in permission_labels(group)}
    assert apps == {"listings"}
    assert not group.permissions.filter(content_type__app_label__in=["auth", "accounts", "admin"]).exists()


def test_ensure_is_idempotent_and_repairs_drift():
    group, _, _, _ = ensure_moderators_group()
    group.permissions.add(Permission.objects.get(codename="change_user"))
    group.permissions.remove(Permission.objects.get(codename="moderate_case"))

    group, created, added, removed = ensure_moderators_group()

    assert not created
    assert added == ["listings.moderate_case"]
    assert removed == ["accounts.change_user"]
    assert ensure_moderators_group()[1:] == (False, [], [])
    assert Group.objects.filter(name=MODERATORS_GROUP).count() == 1
    assert permission_labels(group) == set(MODERATOR_PERMISSIONS)


def test_setup_roles_command_creates_the_group_and_says_so():
    Group.objects.filter(name=MODERATORS_GROUP).delete()
    out = StringIO()

    call_command("setup_roles", stdout=out)

    assert "Created group “Moderators”" in out.getvalue()
    assert "granted listings.moderate_case" in out.getvalue()
    assert permission_labels(Group.objects.get(name=MODERATORS_GROUP)) == set(MODERATOR_PERMISSIONS)
    out = StringIO()
    call_command("setup_roles", stdout=out)
    assert "already up to date" in out.getvalue()


def test_moderator_can_publish_through_the_admin(moderator_client, moderator):
    case = CaseFactory()
    url = reverse("admin:listings_case_changelist")

    moderator_client.post(
        url, {"action": "publish", ACTION_CHECKBOX_NAME: [case.pk], "post": "yes", "note": "Verified"}
    )

    assert Case.objects.get(pk=case.pk).review_state == ReviewState.PUBLISHED
    entry = AuditEntry.objects.get(case=case, action=AuditAction.PUBLISHED)
    assert (entry.actor, entry.note) == (moderator, "Verified")


def test_moderator_cannot_manage_users_or_groups(moderator_client, moderator):
    assert moderator_client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    assert moderator_client.get(reverse("admin:accounts_user_add")).status_code == 403
    other = StaffFactory()
    assert moderator_client.get(reverse("admin:accounts_user_change", args=[other.pk])).status_code == 403
    assert moderator_client.get(reverse("admin:auth_group_changelist")).status_code == 403
    assert not any(perm.startswith(("auth.", "accounts.")) for perm in moderator.get_all_permissions())


def test_admin_index_shows_moderation_but_not_users(moderator_client):
    response = moderator_client.get(reverse("admin:index"))

    assert response.status_code == 200
    models = {model["object_name"] for app in response.context["app_list"] for model in app["models"]}
    assert {"Case", "Photo", "Tip", "ContactMessage", "Resource", "ResourceCategory", "AuditEntry"} <= models
    assert not {"User", "Group"} & models
