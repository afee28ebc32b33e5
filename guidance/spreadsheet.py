"""CSV cells a spreadsheet opens safely: every CSV the site writes from people's text uses it."""


def safe_cell(text) -> str:
    """A spreadsheet must never read an editor's or a reader's text as a formula."""
    text = str(text or "")
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text
