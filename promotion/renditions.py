"""Responsive renditions of uploaded and shipped images: 480, 960 and 1600 px wide, WebP and JPEG.

They are made when an image is saved (and by `load_zone` for the shipped illustrations),
never while a page is being served.
"""

from io import BytesIO
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageOps

WIDTHS = (480, 960, 1600)
FORMATS = {
    "webp": {"format": "WEBP", "quality": 80, "method": 5},
    "jpg": {"format": "JPEG", "quality": 82, "optimize": True, "progressive": True},
}
FALLBACK_WIDTH = 960


def rendition_name(name: str, width: int, extension: str) -> str:
    path = PurePosixPath(name)
    return str(PurePosixPath("renditions") / path.parent / f"{path.stem}-{width}.{extension}")


def widths_for(original_width: int) -> list[int]:
    """The standard widths below the original's, then the original's own (capped at the largest)."""
    largest = min(original_width, WIDTHS[-1])
    return [w for w in WIDTHS if w < largest] + [largest]


def make_renditions(name: str, storage=default_storage) -> list[str]:
    """Write every rendition of the stored image `name`; return their names."""
    with storage.open(name, "rb") as source:
        image = ImageOps.exif_transpose(Image.open(source))
        image.load()
    if image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    image.info = {}  # no metadata: Pillow would copy a JPEG comment from `info` into every rendition
    written = []
    for width in widths_for(image.width):
        height = round(image.height * width / image.width)
        resized = image if width == image.width else image.resize((width, height), Image.Resampling.LANCZOS)
        for extension, options in FORMATS.items():
            buffer = BytesIO()
            resized.save(buffer, **options)
            target = rendition_name(name, width, extension)
            if storage.exists(target):
                storage.delete(target)
            written.append(storage.save(target, ContentFile(buffer.getvalue())))
    return written


def picture(field_file, width: int | None, height: int | None) -> dict | None:
    """What a <picture> element needs to show an image at the right size."""
    if not field_file or not width or not height:
        return None
    sizes = widths_for(width)

    def srcset(extension: str) -> str:
        return ", ".join(f"{default_storage.url(rendition_name(field_file.name, w, extension))} {w}w" for w in sizes)

    fallback = max((w for w in sizes if w <= FALLBACK_WIDTH), default=sizes[0])
    return {
        "webp_srcset": srcset("webp"),
        "jpeg_srcset": srcset("jpg"),
        "src": default_storage.url(rendition_name(field_file.name, fallback, "jpg")),
        "width": width,
        "height": height,
    }
