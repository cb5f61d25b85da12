"""Images editors upload: verified by Pillow, bounded in bytes and pixels, raster only."""

import warnings
from pathlib import Path

from django import forms
from django.conf import settings
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from PIL import Image

ALLOWED_FORMATS = {"JPEG": {".jpg", ".jpeg"}, "PNG": {".png"}, "WEBP": {".webp"}}
ALLOWED_EXTENSIONS = set().union(*ALLOWED_FORMATS.values())


def check_image_upload(upload) -> None:
    """Refuse, with a message an editor understands, anything but a sane JPEG, PNG or WebP."""
    extension = Path(upload.name or "").suffix.lower()
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
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:  # reads the header only
                image_format, (width, height) = image.format, image.size
                if width * height > settings.UPLOAD_MAX_PIXELS:
                    raise forms.ValidationError(
                        _("This image is %(width)s × %(height)s pixels; images may have at most %(limit)s megapixels.")
                        % {"width": width, "height": height, "limit": settings.UPLOAD_MAX_PIXELS // 1_000_000},
                        code="too_many_pixels",
                    )
                image.verify()
    except forms.ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        message = _("This image has too many pixels to process safely; images may have at most %(limit)s megapixels.")
        raise forms.ValidationError(
            message % {"limit": settings.UPLOAD_MAX_PIXELS // 1_000_000}, code="decompression_bomb"
        ) from None
    except Exception:  # noqa: BLE001 — Pillow raises many kinds of error for a file that is not an image
        raise forms.ValidationError(
            _("This file is not a valid image (it may be damaged, or another kind of file renamed)."),
            code="not_an_image",
        ) from None
    finally:
        upload.seek(0)
    if extension not in ALLOWED_FORMATS.get(image_format, set()):
        raise forms.ValidationError(
            _("The file is named %(extension)s but holds a %(format)s image. Rename it or upload another file.")
            % {"extension": extension, "format": image_format},
            code="mismatch",
        )


class SafeImageFormField(forms.ImageField):
    def to_python(self, data):
        if data not in self.empty_values:
            check_image_upload(data)
        return super().to_python(data)


class SafeImageField(models.ImageField):
    """An ImageField whose form checks the upload before Pillow decodes it."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": SafeImageFormField, **kwargs})
