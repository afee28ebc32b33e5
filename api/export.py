"""The open-data export: every kind as JSON, the tabular ones as CSV, and the licence.

One function builds the files; the ZIP download and `manage.py export_open_data` both use
it, and each JSON file holds exactly the items the API's list pages hold, in their order.
"""

import csv
import io
import zipfile

from django.conf import settings

from guidance.version import content_version

from .http import content_changed_at
from .services import LICENCE_NAME, LICENCE_URL, all_items, dumps, kinds

LICENCE_TEXT = """Digital Buying Guide: open data export

The guide's text in this archive is adapted from the U4SSC "Procurement guidelines for
smart sustainable cities" (2023) and the 2020 Digital Buying Guide by the UK Government
Digital Service and U4SSC. It is shared under the Creative Commons
Attribution-NonCommercial-ShareAlike 3.0 IGO licence ({name}):

    {url}

You may copy, adapt and share it for non-commercial purposes if you credit the source,
indicate changes, and share your adaptations under the same licence.

Files: one JSON file per content type (the same objects as the API at /api/v1/), CSV files
for tabular reuse, and manifest.json describing the export.
"""


def _csv(header, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + out.getvalue()).encode()  # BOM: spreadsheet programs read UTF-8


def export_files(*, language: str, base_url: str) -> dict[str, bytes]:
    """File name -> bytes, for one language."""
    files = {}
    counts = {}
    for kind in kinds():
        items = all_items(kind=kind, language=language, base_url=base_url)
        counts[kind.name] = len(items)
        files[f"{kind.name}.json"] = dumps(
            {"language": language, "count": len(items), "results": items}, pretty=True
        )
        if kind.csv_rows:
            files[kind.csv_name] = _csv(*kind.csv_rows(items))
    files["LICENCE.txt"] = LICENCE_TEXT.format(name=LICENCE_NAME, url=LICENCE_URL).encode()
    manifest = {
        "title": str(settings.SITE_NAME),
        "language": language,
        "content_version": content_version(),
        "content_changed": content_changed_at().isoformat(),
        "source": base_url + "/",
        "api": base_url + "/api/v1/",
        "licence": {"name": LICENCE_NAME, "url": LICENCE_URL},
        "counts": counts,
        "files": sorted([*files, "manifest.json"]),
    }
    files["manifest.json"] = dumps(manifest, pretty=True)
    return files


def export_zip(*, language: str, base_url: str) -> bytes:
    """The files as a ZIP whose bytes depend only on the content (fixed member dates)."""
    stamp = content_changed_at().timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(export_files(language=language, base_url=base_url).items()):
            info = zipfile.ZipInfo(f"digital-buying-guide-{language}/{name}", date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, data)
    return buffer.getvalue()
