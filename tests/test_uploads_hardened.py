"""An upload is decoded in full before anything is stored, and stored afresh: upright, without the camera's
metadata, under a name nobody can guess."""

import io
import re
import struct
import zlib
from http import HTTPStatus
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import ExifTags, Image, ImageCms, PngImagePlugin

from promotion.models import Park
from promotion.renditions import rendition_name, widths_for

from .test_security import park_form

pytestmark = pytest.mark.django_db

DAMAGED = "This image is damaged or incomplete"
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description CreatorTool="SecretCam"/></rdf:RDF></x:xmpmeta>'


def noise(size=(64, 48)) -> Image.Image:
    return Image.effect_noise(size, 60).convert("RGB")


def encoded(image: Image.Image, image_format: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


def png_with_garbage_pixels() -> bytes:
    """A PNG whose chunks are all sound (their checksums match) but whose compressed pixels are garbage:
    `verify()` passes it, decoding fails."""
    png = encoded(noise(), "PNG")
    start = png.index(b"IDAT")
    (length,) = struct.unpack(">I", png[start - 4 : start])
    pixels = bytearray(png[start + 4 : start + 4 + length])
    pixels[10:30] = b"\xff" * 20
    crc = struct.pack(">I", zlib.crc32(b"IDAT" + pixels))
    return png[: start + 4] + bytes(pixels) + crc + png[start + 8 + length :]


def truncated(image_format: str) -> bytes:
    data = encoded(noise(), image_format)
    return data[: len(data) // 2]


def media_files(settings) -> set[Path]:
    media = Path(settings.MEDIA_ROOT)
    return {p for p in media.rglob("*") if p.is_file()} if media.exists() else set()


def stored_image(pk: int) -> tuple[str, int | None, int | None]:
    return Park.objects.values_list("image", "image_width", "image_height").get(pk=pk)


def upload(staff_client, content: bytes, name: str, content_type: str):
    park = Park.objects.get(slug="electronics-park")
    return park, park_form(staff_client, park, SimpleUploadedFile(name, content, content_type))


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        pytest.param("site-plan.png", png_with_garbage_pixels(), "image/png", id="png-garbage-pixels"),
        pytest.param("site-photo.jpg", truncated("JPEG"), "image/jpeg", id="jpeg-truncated"),
        pytest.param("site-photo.webp", truncated("WEBP"), "image/webp", id="webp-truncated"),
    ],
)
def test_a_damaged_image_is_refused_and_nothing_is_stored(staff_client, settings, name, content, content_type):
    park = Park.objects.get(slug="electronics-park")
    before, files_before = stored_image(park.pk), media_files(settings)

    response = park_form(staff_client, park, SimpleUploadedFile(name, content, content_type))

    assert response.status_code == HTTPStatus.OK
    assert DAMAGED in " ".join(response.context["adminform"].form.errors["image"])
    assert DAMAGED in response.content.decode()
    assert stored_image(park.pk) == before
    assert media_files(settings) == files_before
    assert not (Path(settings.MEDIA_ROOT) / "renditions").exists()


def camera_exif(orientation: int) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Canon"
    exif[ExifTags.Base.Model] = "Canon EOS 5D Mark IV"
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (35.0, 18.0, 7.5),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (113.0, 52.0, 12.25),
    }
    return exif


def photo_on_its_side() -> Image.Image:
    """800 × 600 as the sensor stored it, red in the top-left corner; shown upright it is 600 × 800."""
    image = Image.new("RGB", (800, 600), "white")
    image.paste((255, 0, 0), (0, 0, 200, 200))
    return image


def assert_no_metadata(image: Image.Image) -> None:
    assert not image.getexif()
    assert not {"exif", "xmp", "comment", "XML:com.adobe.xmp", "Comment"} & set(image.info)


def test_a_photo_is_stored_upright_without_its_exif_gps_or_xmp(staff_client, settings):
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    exif = camera_exif(orientation=6)  # the camera was turned: show it rotated 90° clockwise
    content = encoded(photo_on_its_side(), "JPEG", exif=exif, xmp=XMP, comment=b"Home", icc_profile=icc)
    with Image.open(io.BytesIO(content)) as sent:  # the test photo does carry all of it
        assert sent.getexif().get_ifd(ExifTags.IFD.GPSInfo) and sent.info["xmp"] and sent.info["comment"]

    park, response = upload(staff_client, content, "holiday-at-home.jpg", "image/jpeg")

    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
    name, width, height = stored_image(park.pk)
    assert (width, height) == (600, 800)
    original = Path(settings.MEDIA_ROOT) / name
    assert b"Canon" not in original.read_bytes() and b"SecretCam" not in original.read_bytes()
    with Image.open(original) as stored:
        assert stored.format == "JPEG" and stored.size == (600, 800)
        assert_no_metadata(stored)
        assert stored.info["icc_profile"] == icc
        red, white = stored.getpixel((500, 100)), stored.getpixel((100, 100))
        assert red[0] > 200 and red[1] < 60 and min(white) > 200  # the red corner is now top right
    for rendition_width in widths_for(600):
        for extension in ("jpg", "webp"):
            with Image.open(Path(settings.MEDIA_ROOT) / rendition_name(name, rendition_width, extension)) as small:
                assert small.size == (rendition_width, round(800 * rendition_width / 600))
                assert_no_metadata(small)


@pytest.mark.parametrize(
    ("image_format", "extension", "mode", "options"),
    [
        pytest.param("PNG", ".png", "RGBA", {}, id="png"),
        pytest.param("WEBP", ".webp", "RGB", {"xmp": XMP}, id="webp"),
        pytest.param("JPEG", ".jpeg", "L", {"xmp": XMP, "comment": b"Home"}, id="jpeg-greyscale"),
    ],
)
def test_every_format_is_kept_and_loses_its_metadata(staff_client, settings, image_format, extension, mode, options):
    image = noise((320, 200)).convert(mode)
    if image_format == "PNG":
        text = PngImagePlugin.PngInfo()
        text.add_text("Comment", "Home")
        text.add_itxt("XML:com.adobe.xmp", XMP.decode())
        options = {"pnginfo": text}
    content = encoded(image, image_format, exif=camera_exif(orientation=1), **options)

    park, response = upload(staff_client, content, f"plan{extension}", Image.MIME[image_format])

    assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
    name, width, height = stored_image(park.pk)
    assert name.endswith(extension) and (width, height) == (320, 200)
    data = (Path(settings.MEDIA_ROOT) / name).read_bytes()
    assert b"Canon" not in data and b"SecretCam" not in data and b"Home" not in data
    with Image.open(io.BytesIO(data)) as stored:
        assert (stored.format, stored.mode, stored.size) == (image_format, mode, (320, 200))
        assert_no_metadata(stored)


def test_an_upload_is_stored_under_an_unguessable_name(staff_client, settings):
    content = encoded(noise(), "JPEG")
    names = set()
    for _ in range(2):
        park, response = upload(staff_client, content, "Site Photo.JPG", "image/jpeg")
        assert response.status_code == HTTPStatus.FOUND, response.context["adminform"].form.errors
        names.add(stored_image(park.pk)[0])
    assert len(names) == 2
    assert all(re.fullmatch(r"parks/[0-9a-f]{32}\.jpg", name) for name in names), names
    assert not any("site" in p.name.lower() for p in media_files(settings))
