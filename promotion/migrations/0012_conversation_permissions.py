"""Officers reply to investors and keep the reply snippets; content editors see neither."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

OFFICERS = "Promotion officers"
OFFICER_PERMISSIONS = {
    "enquirymessage": ["view", "add"],
    "replysnippet": ["view", "add", "change", "delete"],
}


def codenames() -> list[str]:
    return [f"{action}_{model}" for model, actions in OFFICER_PERMISSIONS.items() for action in actions]


def grant(apps, schema_editor):
    # Permissions are normally made after all migrations; the group needs them now.
    app_config = apps.get_app_config("promotion")
    models_module = getattr(app_config, "models_module", None)
    app_config.models_module = models_module or True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=OFFICERS)
    permissions = Permission.objects.filter(content_type__app_label="promotion", codename__in=codenames())
    assert permissions.count() == len(codenames()), "a permission the officers need is missing"
    group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="promotion", codename__in=codenames())
    for group in Group.objects.filter(name=OFFICERS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("promotion", "0011_enquiry_conversation"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
