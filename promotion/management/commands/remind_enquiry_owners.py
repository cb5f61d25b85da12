from django.core.management.base import BaseCommand

from promotion.services import remind_owners


class Command(BaseCommand):
    help = "Mail each owner their overdue and follow-up-due enquiries, and the team the unassigned overdue ones."

    def handle(self, *args, **options):
        count = remind_owners()
        self.stdout.write(self.style.SUCCESS(f"Wrote {count} reminder(s)"))
