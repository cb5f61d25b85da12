import io
import re
from http import HTTPStatus
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image

from promotion.models import Park
from promotion.renditions import rendition_name, widths_for

pytestmark = pytest.mark.django_db


def test_widths_follow_the_original():
    assert widths_for(1600) == [480, 960, 1600]
    assert widths_for(4000) == [480, 960, 1600]
    assert widths_for(800) == [480, 800]
    assert widths_for(300) == [300]


def test_load_zone_makes_webp_and_jpeg_renditions_of_every_illustration(settings):
    call_command("load_zone", verbosity=0)
    media = Path(settings.MEDIA_ROOT)
    for park in Park.objects.all():
        for width in (480, 960, 1600):
            for extension, image_format in (("webp", "WEBP"), ("jpg", "JPEG")):
                with Image.open(media / rendition_name(park.image.name, width, extension)) as image:
                    assert image.format == image_format
                    assert image.size == (width, round(900 * width / 1600))
    small = (media / rendition_name("parks/electronics-park.jpg", 480, "webp")).stat().st_size
    large = (media / rendition_name("parks/electronics-park.jpg", 1600, "jpg")).stat().st_size
    assert small < large / 3


def test_pages_offer_sized_responsive_pictures(client):
    home = client.get("/en/").content.decode()
    picture = re.search(r"<picture>.*?</picture>", home, re.S).group()
    assert 'type="image/webp"' in picture
    assert all(f"{w}w" in picture for w in (480, 960, 1600))
    assert 'width="1600" height="900"' in picture and 'loading="lazy"' in picture
    detail = client.get(reverse("promotion:park-detail", kwargs={"slug": "electronics-park"})).content.decode()
    hero = re.search(r"<picture>.*?</picture>", detail, re.S).group()
    assert 'loading="lazy"' not in hero and 'fetchpriority="high"' in hero


def test_served_images_are_kept_by_the_browser_for_a_week_as_nginx_serves_them(client):
    call_command("load_zone", verbosity=0)
    park = Park.objects.get(slug="electronics-park")
    url = f"/media/{rendition_name(park.image.name, 960, 'webp')}"
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK and response["Content-Type"] == "image/webp"
    assert set(response["Cache-Control"].split(", ")) == {"public", "max-age=604800"}
    assert client.head(url).status_code == HTTPStatus.OK
    nginx = (Path(__file__).resolve().parent.parent / "deploy" / "nginx.conf").read_text()
    assert 'add_header Cache-Control "public, max-age=604800";' in nginx


def test_an_uploaded_photo_gets_its_renditions(staff_client, settings):
    call_command("load_zone", verbosity=0)
    park = Park.objects.get(slug="biotechnology-park")
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), "green").save(buffer, "JPEG")
    url = reverse("admin:promotion_park_change", args=[park.pk])
    form = staff_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "image"}
    data["industries"] = [i.pk for i in park.industries.all()]
    data["image"] = SimpleUploadedFile("new-photo.jpg", buffer.getvalue(), "image/jpeg")
    assert staff_client.post(url, data).status_code == HTTPStatus.FOUND
    name = Park.objects.values_list("image", flat=True).get(pk=park.pk)
    media = Path(settings.MEDIA_ROOT)
    for width in (480, 960, 1200):
        assert (media / rendition_name(name, width, "webp")).is_file()
        assert (media / rendition_name(name, width, "jpg")).is_file()
