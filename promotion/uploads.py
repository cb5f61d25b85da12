"""Images editors upload: bounded in bytes and pixels, raster only, fully decoded by Pillow, then stored
afresh (upright, without EXIF, GPS, XMP or comments) under a name nobody can guess."""

import uuid
import warnings
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path, PurePosixPath

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG": {".jpg", ".jpeg"}, "PNG": {".png"}, "WEBP": {".webp"}}
ALLOWED_EXTENSIONS = set().union(*ALLOWED_FORMATS.values())
ENCODINGS = {
    "JPEG": {"quality": 90, "optimize": True},
    "PNG": {"optimize": True},
    "WEBP": {"quality": 90, "method": 4},
}
# What a stored original keeps of Pillow's `info`: how to show its colours and which pixels are see-through.
KEPT_INFO = {"icc_profile", "transparency"}


def clean_image_upload(upload) -> SimpleUploadedFile:
    """The upload as a fresh file to store; a message an editor understands for anything but a sound
    JPEG, PNG or WebP image."""
    extension = Path(upload.name or "").suffix.lower()
    check_kind_and_size(upload, extension)
    with unreadable_images_refused():
        image = decode(upload)
        check_format(image.format, extension)
        return without_metadata(image, upload.name)


def check_kind_and_size(upload, extension: str) -> None:
    if extension == ".svg" or upload.content_type == "image/svg+xml":
        raise forms.ValidationError(
            _("SVG drawings are not accepted, because they can carry scripts. Upload a JPEG, PNG or WebP image."),
            code="svg",
        )
    if extension not in ALLOWED_EXTENSIONS:
        raise forms.ValidationError(_("Upload a JPEG, PNG or WebP image."), code="extension")
    if upload.size > settings.UPLOAD_MAX_BYTES:
        raise forms.ValidationError(
            _("This file is %(size)s; images may be at most %(limit)s.")
            % {"size": filesizeformat(upload.size), "limit": filesizeformat(settings.UPLOAD_MAX_BYTES)},
            code="too_large",
        )


@contextmanager
def unreadable_images_refused():
    """Pillow's errors, and its decompression-bomb warning, turned into messages an editor understands."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            yield
    except forms.ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        message = _("This image has too many pixels to process safely; images may have at most %(limit)s megapixels.")
        raise forms.ValidationError(
            message % {"limit": settings.UPLOAD_MAX_PIXELS // 1_000_000}, code="decompression_bomb"
        ) from None
    except UnidentifiedImageError:
        raise forms.ValidationError(
            _("This file is not a valid image (it may be damaged, or another kind of file renamed)."),
            code="not_an_image",
        ) from None
    except Exception:  # noqa: BLE001 — Pillow raises many kinds of error for a damaged image
        raise forms.ValidationError(
            _(
                "This image is damaged or incomplete, so it cannot be shown. "
                "Export it again from your image editor, or upload another copy."
            ),
            code="damaged",
        ) from None


def decode(upload) -> Image.Image:
    """Every pixel of the upload, read within the pixel limit. `verify()` checks the file's structure
    but decodes no pixel, so the image is opened again and loaded."""
    upload.seek(0)
    with Image.open(upload) as header:
        check_pixel_count(*header.size)
        header.verify()
    upload.seek(0)
    image = Image.open(upload)
    image.load()
    return image


def check_pixel_count(width: int, height: int) -> None:
    if width * height > settings.UPLOAD_MAX_PIXELS:
        raise forms.ValidationError(
            _("This image is %(width)s × %(height)s pixels; images may have at most %(limit)s megapixels.")
            % {"width": width, "height": height, "limit": settings.UPLOAD_MAX_PIXELS // 1_000_000},
            code="too_many_pixels",
        )


def check_format(image_format: str, extension: str) -> None:
    if extension not in ALLOWED_FORMATS.get(image_format, set()):
        raise forms.ValidationError(
            _("The file is named %(extension)s but holds a %(format)s image. Rename it or upload another file.")
            % {"extension": extension, "format": image_format},
            code="mismatch",
        )


def without_metadata(image: Image.Image, name: str) -> SimpleUploadedFile:
    """The image turned the way its EXIF orientation says, saved again in its own format with its colour
    profile only: the camera, the GPS position, XMP and comments stay behind."""
    image_format = image.format
    upright = ImageOps.exif_transpose(image)
    upright.info = {key: value for key, value in upright.info.items() if key in KEPT_INFO}
    buffer = BytesIO()
    upright.save(buffer, image_format, icc_profile=upright.info.get("icc_profile"), **ENCODINGS[image_format])
    return SimpleUploadedFile(name, buffer.getvalue(), Image.MIME[image_format])


def unguessable_name(filename: str) -> str:
    """A random name with the file's extension: the upload's own name never becomes a public address."""
    return f"{uuid.uuid4().hex}{PurePosixPath(filename).suffix.lower()}"


class SafeImageFormField(forms.ImageField):
    """An editor's image upload, refused with a clear message or replaced by its clean copy."""

    def to_python(self, data):
        if data not in self.empty_values:
            data = clean_image_upload(data)
        return super().to_python(data)


class SafeImageField(models.ImageField):
    """An ImageField whose form checks and cleans the upload, stored under an unguessable name."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SafeImageFormField, **kwargs})

    def generate_filename(self, instance, filename):
        return super().generate_filename(instance, unguessable_name(filename))
