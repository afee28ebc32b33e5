"""An accepted upload is stored as a new file drawn from its pixels, never as sent.

Re-encoding keeps the picture and nothing else: EXIF (phones record where a photo was
taken), JPEG comments and application segments, PNG text chunks, GIF comments and
extensions, and whatever a polyglot file hid in them (an HTML page inside a JPEG comment)
are all left behind. Every accepted format goes through here, GIF included (all its frames
and their timing are kept).
"""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageOps, ImageSequence

# Pillow's format name → the one extension it is stored under (what browsers all show).
IMAGE_FORMATS = {"JPEG": "jpg", "PNG": "png", "GIF": "gif", "WEBP": "webp"}
CONTENT_TYPES = {"jpg": "image/jpeg", "png": "image/png", "gif": "image/gif", "webp": "image/webp"}


def _pixels_only(frame: Image.Image) -> Image.Image:
    """A copy of the frame's pixels (and palette) with no metadata attached."""
    fresh = frame.copy()
    fresh.info = {}
    return fresh


def image_reencoded(upload, extension: str) -> SimpleUploadedFile:
    """The same picture, encoded afresh from its pixels in its own format."""
    image_format = {value: key for key, value in IMAGE_FORMATS.items()}[extension]
    upload.seek(0)
    buffer = io.BytesIO()
    with Image.open(upload) as original:
        if image_format == "GIF":
            frames = [
                _pixels_only(frame.convert("RGBA")) for frame in ImageSequence.Iterator(original)
            ]
            durations = [
                frame.info.get("duration", 100) for frame in ImageSequence.Iterator(original)
            ]
            options = {"save_all": len(frames) > 1, "optimize": False}
            if len(frames) > 1:
                options.update(
                    append_images=frames[1:], duration=durations, loop=original.info.get("loop", 0)
                )
            frames[0].save(buffer, format="GIF", **options)
        else:
            # The orientation EXIF described goes into the pixels before EXIF is dropped.
            picture = _pixels_only(ImageOps.exif_transpose(original))
            if image_format == "JPEG" and picture.mode not in ("RGB", "L"):
                picture = picture.convert("RGB")
            options = {"quality": 88, "optimize": True} if image_format in ("JPEG", "WEBP") else {}
            picture.save(buffer, format=image_format, **options)
    return SimpleUploadedFile(upload.name, buffer.getvalue(), content_type=CONTENT_TYPES[extension])
