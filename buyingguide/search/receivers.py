"""Keeps the index in step with content: connected in BuyingGuideConfig.ready().

The senders are explicit services, never a model's save: load_content sends
`content_loaded` once per load, `casestudies.services.case_study_save` / `_delete` send
`case_study_saved` / `case_study_deleted` once the transaction commits.
"""

from django.dispatch import receiver

from casestudies.signals import case_study_deleted, case_study_saved
from guidance.signals import content_loaded
from resources.signals import resource_deleted, resource_saved

from .index import (
    search_index_case_study,
    search_index_drop_case_study,
    search_index_drop_resource,
    search_index_rebuild,
    search_index_resource,
)


@receiver(content_loaded)
def _rebuild_after_load(sender, **kwargs):
    search_index_rebuild()


@receiver(case_study_saved)
def _reindex_case_study(sender, case, **kwargs):
    search_index_case_study(case)


@receiver(case_study_deleted)
def _unindex_case_study(sender, case, **kwargs):
    search_index_drop_case_study(case)


@receiver(resource_saved)
def _reindex_resource(sender, resource, **kwargs):
    search_index_resource(resource)


@receiver(resource_deleted)
def _unindex_resource(sender, resource, **kwargs):
    search_index_drop_resource(resource)
