"""The zone's name at the top of every admin page, in the reader's language."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("Hongqi Canal ETDZ — investment promotion")
admin.site.site_title = _("Hongqi Canal ETDZ admin")
admin.site.index_title = _("Investment promotion desk")
