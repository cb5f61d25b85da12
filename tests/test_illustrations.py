from PIL import Image, ImageChops

from promotion.illustrations import HEIGHT, WIDTH, draw_illustration, save_illustration


def test_same_slug_draws_the_same_picture_and_another_slug_a_different_one():
    first = draw_illustration("steel", 320, 180)
    again = draw_illustration("steel", 320, 180)
    other = draw_illustration("auto-parts", 320, 180)
    assert ImageChops.difference(first, again).getbbox() is None
    assert ImageChops.difference(first, other).getbbox() is not None


def test_saved_illustration_is_a_progressive_jpeg_of_full_size(tmp_path):
    path = save_illustration("electronics-park", tmp_path / "parks" / "electronics-park.jpg")
    with Image.open(path) as image:
        assert image.format == "JPEG"
        assert image.size == (WIDTH, HEIGHT)
        assert image.info.get("progressive") or image.info.get("progression")
