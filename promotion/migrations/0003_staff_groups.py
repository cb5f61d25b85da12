"""The two staff roles: officers run enquiries, editors keep the content current."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

OFFICERS = "Promotion officers"
EDITORS = "Content editors"
OFFICER_PERMISSIONS = {
    "enquiry": ["view", "change"],
    "enquirynote": ["view", "add"],
    "outgoingmail": ["view"],
}
CONTENT_MODELS = [
    "zoneprofile",
    "keyfigure",
    "milestone",
    "honour",
    "plantarget",
    "industry",
    "chainstage",
    "park",
    "enterprise",
    "project",
    "policy",
    "policymeasure",
    "highlight",
]
EDITOR_PERMISSIONS = {model: ["view", "add", "change", "delete"] for model in CONTENT_MODELS}


def create_groups(apps, schema_editor):
    # Permissions are normally made after all migrations; these groups need them now.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, grants in [(OFFICERS, OFFICER_PERMISSIONS), (EDITORS, EDITOR_PERMISSIONS)]:
        group, _ = Group.objects.get_or_create(name=name)
        codenames = [f"{action}_{model}" for model, actions in grants.items() for action in actions]
        permissions = Permission.objects.filter(content_type__app_label="promotion", codename__in=codenames)
        assert permissions.count() == len(codenames), "a permission the groups need is missing"
        group.permissions.set(permissions)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[OFFICERS, EDITORS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("promotion", "0002_enquiries"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
