from . import content, enquiries, service, site, snippets, team_log  # noqa: F401 — importing registers the model admins and the service record
