"""Uploads are stored re-encoded from their pixels: nothing hidden in them survives (issue 13)."""

import io

import pytest
from PIL import Image, PngImagePlugin

from casestudies.models import CaseStudy

from .conftest import ADD_URL, case_data
from .test_admin import form_errors, upload

HIDDEN = b"<html><script>alert(document.cookie)</script></html>"


def _jpeg_polyglot() -> bytes:
    """A valid JPEG whose comment segment is an HTML page (a JPEG/HTML polyglot)."""
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), (10, 120, 200)).save(buffer, format="JPEG", comment=HIDDEN)
    data = buffer.getvalue()
    assert HIDDEN in data
    return data


def _gif_with_comment(frames=1) -> bytes:
    buffer = io.BytesIO()
    colours = ["red", "green", "blue"]
    images = [Image.new("RGB", (16, 12), colours[i]) for i in range(frames)]
    images[0].save(
        buffer,
        format="GIF",
        comment=HIDDEN,
        save_all=frames > 1,
        append_images=images[1:],
        duration=150,
        loop=0,
    )
    data = buffer.getvalue()
    assert HIDDEN in data
    with Image.open(io.BytesIO(data)) as image:
        assert getattr(image, "n_frames", 1) == frames
    return data


def _png_with_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", HIDDEN.decode())
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), "green").save(buffer, format="PNG", pnginfo=info)
    data = buffer.getvalue()
    assert HIDDEN in data
    return data


def _webp_with_xmp() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (16, 12), "blue").save(buffer, format="WEBP", xmp=HIDDEN)
    data = buffer.getvalue()
    assert HIDDEN in data
    return data


@pytest.mark.parametrize(
    ("name", "make", "extension", "frames"),
    [
        ("polyglot.jpg", _jpeg_polyglot, "jpg", 1),
        ("still.gif", _gif_with_comment, "gif", 1),
        ("moving.gif", lambda: _gif_with_comment(frames=3), "gif", 3),
        ("notes.png", _png_with_text, "png", 1),
        ("photo.webp", _webp_with_xmp, "webp", 1),
    ],
)
def test_every_accepted_format_is_stored_without_what_was_hidden_in_it(
    editor_client, media_root, name, make, extension, frames
):
    original = make()
    response = editor_client.post(
        ADD_URL, case_data(image=upload(name, original), image_alt_en="A coloured square")
    )
    assert response.status_code == 302, form_errors(response)
    stored = CaseStudy.objects.get(slug="town-booking-system").image
    assert stored.name.endswith(f".{extension}")
    data = (media_root / stored.name).read_bytes()
    assert HIDDEN not in data and b"<script" not in data
    assert data != original
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (16, 12)
        assert getattr(image, "n_frames", 1) == frames
        assert "comment" not in image.info and "xmp" not in image.info
        assert not image.getexif()


def test_a_refused_upload_has_one_error_not_also_no_image(editor_client, media_root):
    response = editor_client.post(
        ADD_URL,
        case_data(image=upload("photo.png", b"not a picture at all"), image_alt_en="A photo"),
    )
    errors = form_errors(response)
    assert "not an image we can use" in errors["image"][0]
    assert "image_alt_en" not in errors, errors
    # The editor's text alternative is kept for the next try.
    assert 'value="A photo"' in response.content.decode()
