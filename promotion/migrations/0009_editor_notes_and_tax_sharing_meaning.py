"""Every content model gets a note for editors and a "to be confirmed" mark, never shown on the public site;
the 8:2 tax-sharing fields say whose share is whose (the introducing village or town, and the zone)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('promotion', '0008_status_keys_and_used_form_tokens'),
    ]

    operations = [
        migrations.AddField(
            model_name='enterprise',
            name='editor_note',
            field=models.TextField(blank=True, help_text='Remarks for editors, such as what to confirm with the zone. Never shown on the public site.', verbose_name='note for editors'),
        ),
        migrations.AddField(
            model_name='enterprise',
            name='to_be_confirmed',
            field=models.BooleanField(default=False, help_text="Something here awaits the zone's confirmation; the note for editors says what.", verbose_name='to be confirmed'),
        ),
        migrations.AddField(
            model_name='highlight',
            name='editor_note',
            field=models.TextField(blank=True, help_text='Remarks for editors, such as what to confirm with the zone. Never shown on the public site.', verbose_name='note for editors'),
        ),
        migrations.AddField(
            model_name='highlight',
            name='to_be_confirmed',
            field=models.BooleanField(default=False, help_text="Something here awaits the zone's confirmation; the note for editors says what.", verbose_name='to be confirmed'),
        ),
        migrations.AddField(
            model_name='honour',
            name='editor_note',
            field=models.TextField(blank=True, help_text='Remarks for editors, such as what to confirm with the zone. Never shown on the public site.', verbose_name='note for editors'),
        ),
        migrations.AddField(
            model_name='honour',
            name='to_be_confirmed',
            field=models.BooleanField(default=False, help_text="Something here awaits the zone's confirmation; the note for editors says what.", verbose_name='to be confirmed'),
        ),
        migrations.AddField(
            model_name='industry',
            name='editor_note',
            field=models.TextField(blank=True, help_text='Remarks for editors, such as what to confirm with the zone. Never shown on the public site.', verbose_name='note for editors'),
        ),
        migrations.AddField(
            model_name='industry',
            name='to_be_confirmed',
            field=models.BooleanField(default=False, help_text="Something here awaits the zone's confirmation; the note for editors says what.", verbose_name='to be confirmed'),
        ),
        migrations.AddField(
            model_name='keyfigure',
            name='editor_note',
            field=models.TextField(blank=True, help_text='Remarks for editors, such as what to confirm with the zone. Never shown on the public site.', verbose_name='note for editors'),
        ),
        migrations.AddField(
            model_name='keyfigure',
            name='to_be_confirmed',
            field=models.BooleanField(default=False, help_text="Something here awaits the zone's confirmation; the note for editors says what.", verbose_name='to be confirmed'),
        ),
        migrations.AddField(
            model_name='milestone',
            name='editor_note',
            field=models.TextField(blank=True, help_text='Remarks for editors, such as what to confirm with the zone. Never shown on the public site.', verbose_name='note for editors'),
        ),
        migrations.AddField(
            model_name='milestone',
            name='to_be_confirmed',
            field=models.BooleanField(default=False, help_text="Something here awaits the zone's confirmation; the note for editors says what.", verbose_name='to be confirmed'),
        ),
        migrations.AddField(
            model_name='park',
            name='editor_note',
            field=models.TextField(blank=True, help_text='Remarks for editors, such as what to confirm with the zone. Never shown on the public site.', verbose_name='note for editors'),
        ),
        migrations.AddField(
            model_name='park',
            name='to_be_confirmed',
            field=models.BooleanField(default=False, help_text="Something here awaits the zone's confirmation; the note for editors says what.", verbose_name='to be confirmed'),
        ),
        migrations.AddField(
            model_name='plantarget',
            name='editor_note',
            field=models.TextField(blank=True, help_text='Remarks for editors, such as what to confirm with the zone. Never shown on the public site.', verbose_name='note for editors'),
        ),
        migrations.AddField(
            model_name='plantarget',
            name='to_be_confirmed',
            field=models.BooleanField(default=False, help_text="Something here awaits the zone's confirmation; the note for editors says what.", verbose_name='to be confirmed'),
        ),
        migrations.AddField(
            model_name='policy',
            name='editor_note',
            field=models.TextField(blank=True, help_text='Remarks for editors, such as what to confirm with the zone. Never shown on the public site.', verbose_name='note for editors'),
        ),
        migrations.AddField(
            model_name='policy',
            name='to_be_confirmed',
            field=models.BooleanField(default=False, help_text="Something here awaits the zone's confirmation; the note for editors says what.", verbose_name='to be confirmed'),
        ),
        migrations.AddField(
            model_name='project',
            name='editor_note',
            field=models.TextField(blank=True, help_text='Remarks for editors, such as what to confirm with the zone. Never shown on the public site.', verbose_name='note for editors'),
        ),
        migrations.AddField(
            model_name='project',
            name='to_be_confirmed',
            field=models.BooleanField(default=False, help_text="Something here awaits the zone's confirmation; the note for editors says what.", verbose_name='to be confirmed'),
        ),
        migrations.AddField(
            model_name='zoneprofile',
            name='editor_note',
            field=models.TextField(blank=True, help_text='Remarks for editors, such as what to confirm with the zone. Never shown on the public site.', verbose_name='note for editors'),
        ),
        migrations.AddField(
            model_name='zoneprofile',
            name='to_be_confirmed',
            field=models.BooleanField(default=False, help_text="Something here awaits the zone's confirmation; the note for editors says what.", verbose_name='to be confirmed'),
        ),
        migrations.AlterField(
            model_name='keyfigure',
            name='note',
            field=models.TextField(blank=True, help_text='Shown on the public site beside the figure; remarks for editors go in the note for editors.', verbose_name='note'),
        ),
        migrations.AlterField(
            model_name='keyfigure',
            name='note_en',
            field=models.TextField(blank=True, help_text='Shown on the public site beside the figure; remarks for editors go in the note for editors.', null=True, verbose_name='note'),
        ),
        migrations.AlterField(
            model_name='keyfigure',
            name='note_zh_hans',
            field=models.TextField(blank=True, help_text='Shown on the public site beside the figure; remarks for editors go in the note for editors.', null=True, verbose_name='note'),
        ),
        migrations.AlterField(
            model_name='policy',
            name='owner_share_percent',
            field=models.PositiveSmallIntegerField(blank=True, help_text="The part of a project's tax revenue kept by the village or town outside the zone that introduced the project. The split is between local governments; the investor receives no part of it.", null=True, verbose_name="introducing village's or town's share of tax (%)"),
        ),
    ]
