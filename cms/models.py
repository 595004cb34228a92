"""Pages of the public site."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page


class HomePage(Page):
    """The public home page: what the programme is, for whom, and how to take part."""

    intro = models.TextField(_("introduction"), help_text=_("One or two sentences under the title."))
    body = RichTextField(_("body"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["eligibility_page"] = EligibilityPage.objects.live().first()
        return context


class EligibilityPage(Page):
    """The public eligibility questionnaire: a few short steps that register an enquiry.

    ``serve`` runs the steps (``cms.questionnaire``); the answers are recorded by
    ``journey.enquiries.enquiry_submit``.
    """

    intro = models.TextField(
        _("introduction"), help_text=_("One or two sentences under the title: who the questionnaire is for.")
    )
    help = RichTextField(
        _("help"),
        blank=True,
        help_text=_("Guidance shown beside the questions: what we ask, why, and how long it takes."),
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("help")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("eligibility questionnaire")

    def serve(self, request, *args, **kwargs):
        # Imported here: cms.questionnaire imports these page models.
        from .questionnaire import questionnaire_serve

        return questionnaire_serve(page=self, request=request)


class StandardPage(Page):
    """A plain page of text, such as the privacy notice."""

    body = RichTextField(_("body"))

    content_panels = Page.content_panels + [FieldPanel("body")]
    parent_page_types = ["cms.HomePage", "cms.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
