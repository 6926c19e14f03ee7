"""Uploaded pictures keep their pixels and lose everything else (stoa.core.files)."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from stoa.core.files import ImageRefused, reencode_image, sniff_content_type, sniff_text_kind

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def photo_with_gps(fmt: str = "JPEG", size: tuple[int, int] = (40, 20)) -> bytes:
    """A picture as a phone takes it: rotated by an EXIF tag, with the GPS position, and (as a
    polyglot file would) bytes appended after the image."""
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # "turn 90° clockwise to view"
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2] = "N", (50.0, 51.0, 0.0)
    out = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(out, format=fmt, exif=exif.tobytes())
    return out.getvalue() + b"<?php echo 'appended'; ?>"


@pytest.mark.parametrize(("fmt", "media_type"), [("JPEG", "image/jpeg"), ("PNG", "image/png"),
                                                 ("WEBP", "image/webp")])
def test_a_photo_loses_its_gps_position_and_appended_bytes_but_stays_upright(fmt, media_type):
    original = photo_with_gps(fmt)
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the test photo does carry it
    cleaned = reencode_image(original, media_type, max_pixels=10_000)
    picture = Image.open(io.BytesIO(cleaned))
    assert picture.format == fmt and picture.size == (20, 40)  # turned as the tag said
    assert dict(picture.getexif()) == {} and b"PhoneMaker" not in cleaned
    assert b"appended" not in cleaned


def test_text_chunks_and_gif_comments_are_dropped():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "home address")
    png, gif = io.BytesIO(), io.BytesIO()
    Image.new("RGB", (8, 8)).save(png, format="PNG", pnginfo=info)
    Image.new("P", (8, 8)).save(gif, format="GIF", comment=b"home address")
    assert b"home address" in png.getvalue() and b"home address" in gif.getvalue()
    assert b"home address" not in reencode_image(png.getvalue(), "image/png", max_pixels=100)
    assert b"home address" not in reencode_image(gif.getvalue(), "image/gif", max_pixels=100)


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    bomb = io.BytesIO()
    Image.new("1", (5000, 5000)).save(bomb, format="PNG")  # 25 megapixels in a few kilobytes
    assert len(bomb.getvalue()) < 10_000
    with pytest.raises(ImageRefused) as refused:
        reencode_image(bomb.getvalue(), "image/png", max_pixels=1_000_000)
    assert refused.value.code == "too_many_pixels" and refused.value.pixels == 25_000_000


@pytest.mark.parametrize("data", [b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, b"\xff\xd8\xff" + b"garbage" * 10])
def test_a_file_that_only_starts_like_an_image_is_unreadable(data):
    with pytest.raises(ImageRefused) as refused:
        reencode_image(data, sniff_content_type(data) or "", max_pixels=1_000_000)
    assert refused.value.code == "unreadable"


def test_a_png_sent_as_jpeg_is_refused():
    png = io.BytesIO()
    Image.new("RGB", (4, 4)).save(png, format="PNG")
    with pytest.raises(ImageRefused):
        reencode_image(png.getvalue(), "image/jpeg", max_pixels=100)


@pytest.mark.parametrize(("head", "kind"), [
    (b'\xef\xbb\xbf  {"type": "FeatureCollection"', "json"), (b"[1, 2]", "json"),
    (b"<?xml version='1.0'?><osm>", "xml"), (b"name;lon;lat\nPlace;4.3;50.8\n", "text"),
    ("nom,ville\nPlace du Marché,Liège\n".encode()[:20], "text"),  # cut inside a character
    (b"\x89PNG\r\n\x1a\n\x00\x00", None), (b"\xff\xfe\xfa", None), (b"", None),
])
def test_data_files_are_told_apart_by_content(head, kind):
    assert sniff_text_kind(head) == kind
