"""Every content type the API and the export publish, in the order they are listed.

Adding a type (resources, self-assessment instruments…) is one small module defining a
serializer and a `Kind`, plus its line here: URLs, schema, export and docs follow.
"""

from .casestudies import CASE_STUDIES, GLOSSARY, THEMES
from .guidance import PAGES, STAGES, TOPICS

KINDS = [STAGES, TOPICS, CASE_STUDIES, THEMES, GLOSSARY, PAGES]
BY_NAME = {kind.name: kind for kind in KINDS}
