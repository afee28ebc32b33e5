"""Every content type the API and the export publish, in the order they are listed.

Adding a type (resources, self-assessment instruments…) is one small module defining a
serializer and a `Kind`, plus its line here: URLs, schema, export and docs follow.
"""

from .assessments import ASSESSMENTS
from .casestudies import CASE_STUDIES, GLOSSARY, THEMES
from .guidance import PAGES, STAGES, TOPICS
from .proposals import PROPOSAL_COMPONENTS, PROPOSAL_NOTES
from .resources import RESOURCES

KINDS = [
    STAGES, TOPICS, CASE_STUDIES, THEMES, GLOSSARY, PAGES,
    PROPOSAL_COMPONENTS, PROPOSAL_NOTES, RESOURCES, ASSESSMENTS,
]  # fmt: skip
BY_NAME = {kind.name: kind for kind in KINDS}

# Every query parameter an API address reads (the list's own, and each kind's filters): the
# answer cache keys on these, so a kind's new filter can never be served another's answer.
QUERY_PARAMETERS = (
    "lang", "page", "page_size", "format",
    *sorted({name for kind in KINDS for name in kind.filters}),
)  # fmt: skip
