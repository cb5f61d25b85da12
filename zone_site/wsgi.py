import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zone_site.settings")

from promotion.middleware import readable_content_type  # noqa: E402 — needs the settings module named

application = readable_content_type(get_wsgi_application())
