"""Status links carry a per-enquiry secret (`status_key`) that staff can renew; form clocks are
spent once (`UsedFormToken`); the outbox knows the mail with a new status link."""

import secrets

from django.db import migrations, models

import promotion.models.enquiries


def give_each_enquiry_a_key(apps, schema_editor):
    """Each enquiry its own key (a callable default on AddField would give every row the same
    one); anonymised enquiries keep none."""
    Enquiry = apps.get_model("promotion", "Enquiry")
    pending = Enquiry.objects.filter(anonymised_at=None, status_key="").only("pk").order_by("pk")
    batch = []
    for enquiry in pending.iterator(chunk_size=2000):
        enquiry.status_key = secrets.token_urlsafe(16)
        batch.append(enquiry)
        if len(batch) == 2000:
            Enquiry.objects.bulk_update(batch, ["status_key"])
            batch = []
    Enquiry.objects.bulk_update(batch, ["status_key"])


class Migration(migrations.Migration):
    dependencies = [
        ("promotion", "0007_rate_limit_counters"),
    ]

    operations = [
        migrations.CreateModel(
            name="UsedFormToken",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("nonce", models.CharField(max_length=32, unique=True, verbose_name="nonce")),
                ("expires_at", models.DateTimeField(db_index=True, verbose_name="expires")),
            ],
            options={
                "verbose_name": "used form token",
                "verbose_name_plural": "used form tokens",
                "ordering": ["expires_at"],
            },
        ),
        migrations.AddField(
            model_name="enquiry",
            name="status_key",
            field=models.CharField(blank=True, default="", editable=False, max_length=32, verbose_name="status link"),
        ),
        migrations.RunPython(give_each_enquiry_a_key, migrations.RunPython.noop, elidable=True),
        migrations.AlterField(
            model_name="enquiry",
            name="status_key",
            field=models.CharField(
                blank=True,
                default=promotion.models.enquiries.new_status_key,
                editable=False,
                max_length=32,
                verbose_name="status link",
            ),
        ),
        migrations.AlterField(
            model_name="outgoingmail",
            name="kind",
            field=models.CharField(
                choices=[
                    ("acknowledgement", "Acknowledgement to the investor"),
                    ("notification", "Notification to the promotion team"),
                    ("reminder", "Reminder to an owner"),
                    ("status_link", "New status link to the investor"),
                ],
                max_length=20,
                verbose_name="kind",
            ),
        ),
    ]
