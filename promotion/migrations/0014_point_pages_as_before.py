from django.db import migrations

# What the investment environment and innovation pages pointed to while it was written in code.
ENVIRONMENT_PARKS = ["huan-river-park", "e-commerce-base"]
INNOVATION_PARKS = ["tsinghua-new-material-base"]
INNOVATION_POLICIES = ["talent-100-entrepreneurs"]


def point_pages_as_before(apps, schema_editor):
    Park = apps.get_model("promotion", "Park")
    Policy = apps.get_model("promotion", "Policy")
    for profile in apps.get_model("promotion", "ZoneProfile").objects.all():
        profile.environment_parks.set(Park.objects.filter(slug__in=ENVIRONMENT_PARKS))
        profile.innovation_parks.set(Park.objects.filter(slug__in=INNOVATION_PARKS))
        profile.innovation_policies.set(Policy.objects.filter(slug__in=INNOVATION_POLICIES))


class Migration(migrations.Migration):
    dependencies = [
        ("promotion", "0013_zoneprofile_page_links"),
    ]

    operations = [
        migrations.RunPython(point_pages_as_before, migrations.RunPython.noop),
    ]
