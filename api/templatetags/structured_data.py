import json

from django import template
from django.utils.safestring import mark_safe

from api.jsonld import page_data

register = template.Library()

# As json_script does: nothing in the data can close the script element or start markup.
_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def structured_data(context):
    """The page's schema.org JSON-LD: a data block, which the CSP does not execute."""
    data = page_data(context)
    if data is None:
        return ""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308
