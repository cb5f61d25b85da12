from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from ..models import ReplySnippet
from .history import HistoryInReadersLanguage


@admin.register(ReplySnippet)
class ReplySnippetAdmin(HistoryInReadersLanguage, TranslationAdmin):
    """Paragraphs officers start replies from, in both languages; a reply takes the text in its own language
    (English where the Chinese is still missing)."""

    list_display = ["title", "position", "updated_at"]
    list_editable = ["position"]
    search_fields = ["title_en", "title_zh_hans", "body_en", "body_zh_hans"]
