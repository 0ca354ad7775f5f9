"""The Moderators group: exactly the permissions moderation needs, and no user administration."""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission

MODERATORS_GROUP = "Moderators"

# (app label, codename). Nothing from auth or accounts: moderators never manage people.
MODERATOR_PERMISSIONS = [
    ("listings", "view_case"),
    ("listings", "change_case"),
    ("listings", "moderate_case"),
    ("listings", "view_photo"),
    ("listings", "change_photo"),
    ("listings", "view_tip"),
    ("listings", "change_tip"),
    ("listings", "view_contactmessage"),
    ("listings", "change_contactmessage"),
    ("listings", "add_resource"),
    ("listings", "change_resource"),
    ("listings", "delete_resource"),
    ("listings", "view_resource"),
    ("listings", "add_resourcecategory"),
    ("listings", "change_resourcecategory"),
    ("listings", "delete_resourcecategory"),
    ("listings", "view_resourcecategory"),
    ("listings", "view_auditentry"),
]


def moderator_permissions():
    # The permissions are normally created after `migrate`; make sure they exist when called earlier.
    create_permissions(global_apps.get_app_config("listings"), verbosity=0)
    wanted = {(app_label, codename) for app_label, codename in MODERATOR_PERMISSIONS}
    found = [
        permission
        for permission in Permission.objects.filter(
            content_type__app_label__in={app_label for app_label, _ in wanted},
            codename__in={codename for _, codename in wanted},
        ).select_related("content_type")
        if (permission.content_type.app_label, permission.codename) in wanted
    ]
    missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
    if missing:
        raise LookupError(f"Missing permissions: {', '.join(sorted('.'.join(m) for m in missing))}")
    return found


def ensure_moderators_group():
    """Create the Moderators group or bring its permissions back to exactly the list above.

    Returns (group, created, added, removed) where added/removed are sorted "app.codename" strings.
    """
    group, created = Group.objects.get_or_create(name=MODERATORS_GROUP)
    wanted = set(moderator_permissions())
    current = set(group.permissions.select_related("content_type"))
    to_add, to_remove = wanted - current, current - wanted
    if to_add:
        group.permissions.add(*to_add)
    if to_remove:
        group.permissions.remove(*to_remove)

    def labels(permissions):
        return sorted(f"{p.content_type.app_label}.{p.codename}" for p in permissions)

    return group, created, labels(to_add), labels(to_remove)
