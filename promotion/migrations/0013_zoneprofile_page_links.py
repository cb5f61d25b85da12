from django.db import migrations, models

import promotion.models.content
import promotion.uploads


def illustration():
    return promotion.uploads.SafeImageField(
        blank=True,
        height_field="image_height",
        upload_to=promotion.models.content.illustration_path,
        verbose_name="illustration",
        width_field="image_width",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("promotion", "0012_conversation_permissions"),
    ]

    operations = [
        migrations.AddField(
            model_name="zoneprofile",
            name="environment_parks",
            field=models.ManyToManyField(
                blank=True,
                help_text="The parks and bases the Investment environment page points to, in the parks' order.",
                related_name="environment_profiles",
                to="promotion.park",
                verbose_name="parks on the investment environment page",
            ),
        ),
        migrations.AddField(
            model_name="zoneprofile",
            name="innovation_parks",
            field=models.ManyToManyField(
                blank=True,
                help_text="The parks and bases the Innovation and talent page points to, in the parks' order.",
                related_name="innovation_profiles",
                to="promotion.park",
                verbose_name="parks on the innovation page",
            ),
        ),
        migrations.AddField(
            model_name="zoneprofile",
            name="innovation_policies",
            field=models.ManyToManyField(
                blank=True,
                help_text="The policies the Innovation and talent page points to, in the policies' order.",
                related_name="innovation_profiles",
                to="promotion.policy",
                verbose_name="policies on the innovation page",
            ),
        ),
        # The folder now comes from the model (Illustrated); the stored names and the columns stay as they are.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(model_name="industry", name="image", field=illustration()),
                migrations.AlterField(model_name="park", name="image", field=illustration()),
            ]
        ),
    ]
