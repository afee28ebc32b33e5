"""Sent by resources.services once an admin save or delete has committed (the search index
listens); load_content announces a whole load with guidance.signals.content_loaded instead."""

from django.dispatch import Signal

resource_saved = Signal()  # resource=
resource_deleted = Signal()  # resource=
