"""Sent by the case-study save service (services.py), never by a model save.

The search index (buyingguide/search/receivers.py) listens; casestudies knows nothing of it.
Both are sent once the transaction commits, with `case`: the saved or deleted case study.
"""

from django.dispatch import Signal

case_study_saved = Signal()
case_study_deleted = Signal()
