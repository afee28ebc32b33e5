"""Sent by load_content (buyingguide/loading.py) after it wrote changes, inside its
transaction. Other apps listen (the search index rebuilds); guidance knows nothing of them.

Nothing is sent on a model's save: whatever changes content calls a service that says so
(casestudies.services.case_study_save, guidance.version.content_version_bump).
"""

from django.dispatch import Signal

content_loaded = Signal()
