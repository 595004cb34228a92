from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CmsConfig(AppConfig):
    """The public bilingual site, built with Wagtail.

    It owns the home page, the toolkit guides, resources, news and contact pages, and
    the eligibility questionnaire that registers an enquiry. It may import ``toolkit``
    and below.
    """

    name = "cms"
    label = "cms"
    verbose_name = _("Public site")
