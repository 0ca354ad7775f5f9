from django.db import migrations, models


def accounts_made_before_verification_are_verified(apps, schema_editor):
    apps.get_model("accounts", "User").objects.update(email_verified=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_user_language"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="email_verified",
            field=models.BooleanField(default=False, verbose_name="e-mail address verified"),
        ),
        migrations.RunPython(accounts_made_before_verification_are_verified, migrations.RunPython.noop),
    ]
