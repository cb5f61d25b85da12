"""`python -m bench.data`: add the scaled synthetic dataset to the database the settings name.

Adds parks, industries, enterprises, policies, projects and enquiries (with notes) until each
table holds at least the given number, for performance measurements. Never changes existing
rows; safe to repeat. Not for a production database. `make bench` runs it on its own copies.
"""

import argparse
import os
import sys

from .scale import NOTES_PER_ENQUIRY, OFFICERS, SCALE


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.data", description=__doc__.split("\n\n")[1])
    for name, default in SCALE.items():
        parser.add_argument(f"--{name}", type=int, default=default, help=f"{name} in all (default {default:,})")
    parser.add_argument(
        "--notes-per-enquiry",
        type=int,
        default=NOTES_PER_ENQUIRY,
        help=f"notes on each new enquiry (default {NOTES_PER_ENQUIRY})",
    )
    parser.add_argument(
        "--officers", type=int, default=OFFICERS, help=f"staff in “Promotion officers” (default {OFFICERS})"
    )
    parser.add_argument("--batch-size", type=int, default=5000, help="rows per transaction (default 5,000)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed, for a repeatable dataset")
    parser.add_argument("--progress", action="store_true", help="say how far each table has got")
    parser.add_argument("--quiet", action="store_true", help="print nothing")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zone_site.settings")
    import django

    django.setup()
    from .scaled import build_scaled_data  # imports the models: after setup()

    result = build_scaled_data(
        **{name: getattr(args, name) for name in SCALE},
        notes_per_enquiry=args.notes_per_enquiry,
        officers=args.officers,
        batch_size=args.batch_size,
        seed=args.seed,
        stdout=sys.stdout if args.progress else None,
    )
    if not args.quiet:
        print(table(result))
    return 0


def table(result: dict) -> str:
    added = result["added"]
    lines = [f"{'table':<16}{'added':>10}{'total':>10}"]
    lines += [f"{table:<16}{added.get(table, 0):>10,}{total:>10,}" for table, total in result["totals"].items()]
    lines.append(f"Scaled dataset ready in {result['seconds']:.1f} s")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
