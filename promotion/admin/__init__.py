from . import content, enquiries  # noqa: F401 — importing registers the model admins
