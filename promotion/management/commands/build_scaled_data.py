from django.core.management.base import BaseCommand

from promotion.scaled import build_scaled_data


class Command(BaseCommand):
    help = (
        "Add synthetic parks, industries, enterprises, policies, projects and enquiries (with notes) until each "
        "table holds at least the given number, for performance measurements. Never changes existing rows; "
        "safe to repeat. Not for a production database."
    )

    COUNTS = [
        ("parks", 100),
        ("industries", 50),
        ("enterprises", 10_000),
        ("policies", 100),
        ("projects", 200),
        ("enquiries", 100_000),
    ]

    def add_arguments(self, parser):
        for name, default in self.COUNTS:
            parser.add_argument(f"--{name}", type=int, default=default, help=f"{name} in all (default {default:,})")
        parser.add_argument("--notes-per-enquiry", type=int, default=1, help="notes on each new enquiry (default 1)")
        parser.add_argument("--officers", type=int, default=10, help="staff in “Promotion officers” (default 10)")
        parser.add_argument("--batch-size", type=int, default=5000, help="rows per transaction (default 5,000)")
        parser.add_argument("--seed", type=int, default=2026, help="random seed, for a repeatable dataset")

    def handle(self, *args, **options):
        progress = self.stdout if options["verbosity"] > 1 else None
        result = build_scaled_data(
            **{name: options[name] for name, _ in self.COUNTS},
            notes_per_enquiry=options["notes_per_enquiry"],
            officers=options["officers"],
            batch_size=options["batch_size"],
            seed=options["seed"],
            stdout=progress,
        )
        if options["verbosity"] == 0:
            return
        added = result["added"]
        self.stdout.write(f"{'table':<16}{'added':>10}{'total':>10}")
        for table, total in result["totals"].items():
            self.stdout.write(f"{table:<16}{added.get(table, 0):>10,}{total:>10,}")
        self.stdout.write(self.style.SUCCESS(f"Scaled dataset ready in {result['seconds']:.1f} s"))
