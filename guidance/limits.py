"""Size limits for what people write, defined once (documented in docs/operations.md).

Far above anything the guide needs (the largest content file today is about 24 KB, the
longest story about 4,000 characters), low enough that one file or form can't make a page
of megabytes or slow the search down for everyone.
"""

# A content file under content/<lang>/: larger files are refused by name in load_content.
MAX_CONTENT_FILE_BYTES = 200_000
# A case study's story (Markdown), per language; the admin shows an error and keeps the text.
MAX_STORY_CHARS = 100_000
# A case study's quote, per language.
MAX_QUOTE_CHARS = 2_000
