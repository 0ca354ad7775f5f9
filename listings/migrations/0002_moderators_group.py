"""Create the Moderators group with exactly the permissions moderation needs.

The list is frozen here as it was when this migration was written; `manage.py
setup_roles` brings an existing group up to date with listings/roles.py.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

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


def create_moderators_group(apps, schema_editor):
    # Permissions are normally created after the whole migrate run; this migration needs them now.
    app_config = apps.get_app_config("listings")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps, using=schema_editor.connection.alias)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    group, _ = Group.objects.using(db).get_or_create(name="Moderators")
    permissions = Permission.objects.using(db).filter(
        content_type__app_label="listings",
        codename__in=[codename for _, codename in MODERATOR_PERMISSIONS],
    )
    group.permissions.set(permissions)


def remove_moderators_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name="Moderators").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("listings", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.RunPython(create_moderators_group, remove_moderators_group),
    ]
