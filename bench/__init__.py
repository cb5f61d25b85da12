"""The benchmark and the scaled dataset it measures: a tool beside the product, not part of it.

`python -m bench` (what `make bench` runs) builds the databases, serves them with gunicorn and
measures every page type against the budgets in `bench.budgets`. The package imports the product
(`promotion`, `zone_site`), never the other way round, and is no Django app: the modules that
need Django (`bench.data`, `bench.probe`, and `bench.scaled` which they import) run in processes
of their own that call `django.setup()` on the dataset's settings.

- `scale`: how big the scaled dataset is, the one place the numbers are written;
- `scaled`: the builder of the scaled dataset, a function per model family;
- `data`: `python -m bench.data`, the builder on the command line;
- `probe`: `python -m bench.probe`, the addresses to measure and each page's SQL queries;
- `server`: gunicorn started as `make run` starts it, healthy, and always stopped (the tests use it too);
- `datasets`: the two databases and their environment; `measure`: the HTTP side;
- `budgets` and `report`: what a run must meet, and the table that says whether it did.
"""
