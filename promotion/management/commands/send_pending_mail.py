from django.core.management.base import BaseCommand

from promotion import outbox


class Command(BaseCommand):
    help = "Send every mail that could not be sent when it was written (run it from cron every few minutes)."

    def handle(self, *args, **options):
        mails = list(outbox.pending())
        sent = outbox.deliver_all(mails)
        failed = len(mails) - sent
        self.stdout.write(self.style.SUCCESS(f"Sent {sent} mail(s)") + (f"; {failed} still failing" if failed else ""))
        if failed:
            raise SystemExit(1)
