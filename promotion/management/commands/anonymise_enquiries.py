from django.conf import settings
from django.core.management.base import BaseCommand

from promotion.services import anonymise_old_enquiries


class Command(BaseCommand):
    help = "Erase the personal details of enquiries older than ENQUIRY_RETENTION_DAYS, as the privacy notice promises."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=None, help="override ENQUIRY_RETENTION_DAYS")

    def handle(self, *args, **options):
        days = options["days"] if options["days"] is not None else settings.ENQUIRY_RETENTION_DAYS
        count = anonymise_old_enquiries(days)
        self.stdout.write(self.style.SUCCESS(f"Anonymised {count} enquiry(ies) older than {days} days"))
