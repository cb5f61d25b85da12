from django.http import HttpRequest


def query_param(request: HttpRequest, name: str, max_length: int = 100) -> str:
    """A GET parameter as plain text: NUL bytes (which PostgreSQL refuses) dropped, trimmed, bounded."""
    return request.GET.get(name, "").replace("\x00", "").strip()[:max_length]
