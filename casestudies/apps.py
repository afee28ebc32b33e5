from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CaseStudiesConfig(AppConfig):
    name = "casestudies"
    verbose_name = _("Case studies")

    def ready(self):
        # Topic pages show the case studies tagged to them; guidance doesn't import us.
        from guidance.views import TopicView

        from .selectors import case_studies_for_topic

        if case_studies_for_topic not in TopicView.related:
            TopicView.related.append(case_studies_for_topic)
