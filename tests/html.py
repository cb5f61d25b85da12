"""Reading pages the way a browser or crawler would, with the standard library's parser."""

from html.parser import HTMLParser

RESOURCE_ATTRIBUTES = {
    "script": ["src"],
    "link": ["href"],
    "img": ["src", "srcset"],
    "source": ["src", "srcset"],
    "iframe": ["src"],
    "frame": ["src"],
    "embed": ["src"],
    "object": ["data"],
    "video": ["src", "poster"],
    "audio": ["src"],
    "track": ["src"],
    "input": ["src"],
}


VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.resources: list[str] = []
        self.meta: dict[str, str] = {}
        self.canonical = ""
        self.title = ""
        self.json_ld: list[str] = []
        self.text: list[str] = []
        self._in = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag not in VOID_ELEMENTS:
            self._in.append(tag)
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        for name in RESOURCE_ATTRIBUTES.get(tag, []):
            value = attrs.get(name)
            if not value:
                continue
            if name == "srcset":
                self.resources += [part.strip().split(" ")[0] for part in value.split(",") if part.strip()]
            elif not (tag == "link" and attrs.get("rel") in ("canonical", "alternate")):
                self.resources.append(value)
        if tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs.get("href", "")
        if tag == "meta":
            key = attrs.get("name") or attrs.get("property")
            if key:
                self.meta[key] = attrs.get("content", "")
        if tag == "form" and attrs.get("action"):
            self.links.append(attrs["action"])

    def handle_endtag(self, tag):
        if self._in and self._in[-1] == tag:
            self._in.pop()
        elif tag in self._in:
            while self._in and self._in.pop() != tag:
                pass

    def handle_data(self, data):
        current = self._in[-1] if self._in else ""
        if current == "title":
            self.title += data
        elif current == "script":
            self.json_ld.append(data)
        elif current != "style":
            self.text.append(data)


def parse(content: bytes | str) -> PageParser:
    parser = PageParser()
    parser.feed(content.decode() if isinstance(content, bytes) else content)
    return parser
