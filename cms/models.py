"""Pages of the public site, and the records behind them (resources, contact messages)."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from journey.models import Launchpad
from toolkit.blocks import ContentBlock
from toolkit.models import Tool


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
        context["guides"] = GuidePage.objects.live().order_by("path")
        context["news"] = NewsPage.objects.live().order_by("-date", "-pk")[:3]
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

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        if self.slug == "privacy":
            # The privacy notice states the retention periods the programme applies (privacy.retention).
            context["retention"] = {
                "enquiry_months": settings.PRIVACY_ENQUIRY_RETENTION_MONTHS,
                "contact_message_months": settings.PRIVACY_CONTACT_MESSAGE_RETENTION_MONTHS,
                "sync_log_months": settings.PRIVACY_SYNC_LOG_RETENTION_MONTHS,
                "register_months": settings.PRIVACY_REGISTER_RETENTION_MONTHS,
                "link_hours": settings.PRIVACY_EXPORT_LINK_HOURS,
            }
        return context


# --- the toolkit guides ---------------------------------------------------------------------------


class GuideIndexPage(Page):
    """The four toolkit guides, in the order an SME usually meets the tools."""

    intro = models.TextField(_("introduction"), help_text=_("One or two sentences under the title."))

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.GuidePage"]
    max_count = 1

    class Meta:
        verbose_name = _("guide index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["guides"] = GuidePage.objects.child_of(self).live().order_by("path")
        return context


class GuidePage(Page):
    """A guide to one toolkit tool: what it does, how to read it, what to do next."""

    tool = models.CharField(_("toolkit tool"), max_length=20, choices=Tool.choices)
    summary = models.TextField(_("summary"), help_text=_("One or two sentences shown in the list of guides."))
    body = StreamField(ContentBlock(), verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("tool"), FieldPanel("summary"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["cms.GuideIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("toolkit guide")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        siblings = list(GuidePage.objects.sibling_of(self).live().order_by("path"))
        position = next((i for i, page in enumerate(siblings) if page.pk == self.pk), 0)
        context["previous_guide"] = siblings[position - 1] if position > 0 else None
        context["next_guide"] = siblings[position + 1] if position + 1 < len(siblings) else None
        context["resources"] = Resource.objects.filter(topic=self.tool).select_related("document", "document_fr")
        context["resource_index"] = ResourceIndexPage.objects.live().first()
        return context


# --- the resources library --------------------------------------------------------------------------


class ResourceTopic(models.TextChoices):
    DATA = "data", _("Getting your data ready")
    INVENTORY = Tool.INVENTORY.value, _("Inventory")
    MARKET = Tool.MARKET.value, _("Market assessment")
    PLANNING = Tool.PLANNING.value, _("Business planning")
    GROWTH = Tool.GROWTH.value, _("Business growth")
    PROGRAMME = "programme", _("The programme")


class Resource(models.Model):
    """A document of the resources library (a Wagtail document), with its bilingual title and description.

    ``document_fr`` is the French version of the file when there is one; readers of the
    French site get it, everyone else gets ``document``.
    """

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    topic = models.CharField(_("topic"), max_length=20, choices=ResourceTopic.choices)
    document = models.ForeignKey(
        "wagtaildocs.Document", on_delete=models.PROTECT, related_name="+", verbose_name=_("document")
    )
    document_fr = models.ForeignKey(
        "wagtaildocs.Document",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("French version of the document"),
        help_text=_("Optional: offered to readers of the French site instead of the document above."),
    )
    published = models.DateField(_("published"), default=timezone.localdate)
    key = models.SlugField(
        _("key"),
        max_length=60,
        unique=True,
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set on the resources the site creates itself, so they are created only once."),
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("topic"),
        FieldPanel("document"),
        FieldPanel("document_fr"),
        FieldPanel("published"),
    ]

    class Meta:
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        ordering = ["topic", "title"]

    def __str__(self):
        return self.title

    def document_for(self, language: str | None = None):
        """The file for a reader of ``language`` (default: the active language)."""
        language = (language or get_language() or "en").split("-")[0]
        if language == "fr" and self.document_fr_id:
            return self.document_fr
        return self.document


class ResourceIndexPage(Page):
    """The resources library: documents to download, filtered by topic (``?topic=``)."""

    intro = models.TextField(_("introduction"), help_text=_("One or two sentences under the title."))

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("resources library")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        resources = Resource.objects.select_related("document", "document_fr")
        topic = request.GET.get("topic", "")
        if topic not in ResourceTopic.values:
            topic = ""
        used = set(Resource.objects.values_list("topic", flat=True).distinct())
        context["topics"] = [(value, label) for value, label in ResourceTopic.choices if value in used]
        context["topic"] = topic
        context["topic_label"] = ResourceTopic(topic).label if topic else ""
        context["resources"] = resources.filter(topic=topic) if topic else resources
        return context


# --- news ---------------------------------------------------------------------------------------------


class NewsIndexPage(Page):
    """The programme's news, newest first."""

    intro = models.TextField(_("introduction"), help_text=_("One or two sentences under the title."))

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["cms.NewsPage"]
    max_count = 1
    per_page = 10

    class Meta:
        verbose_name = _("news index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        items = NewsPage.objects.child_of(self).live().order_by("-date", "-pk")
        context["news"] = Paginator(items, self.per_page).get_page(request.GET.get("page"))
        return context


class NewsPage(Page):
    """A news item: dated, summarised, with the same content blocks as the guides."""

    date = models.DateField(_("date"), default=timezone.localdate)
    summary = models.TextField(_("summary"), help_text=_("One or two sentences shown in the list of news."))
    body = StreamField(ContentBlock(), verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("date"), FieldPanel("summary"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("summary"), index.SearchField("body")]
    parent_page_types = ["cms.NewsIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("news item")


# --- contact ----------------------------------------------------------------------------------------


class ContactPage(Page):
    """The contact form: the message is stored and e-mailed to the launchpad the visitor chooses.

    ``serve`` is in ``cms.contact``.
    """

    intro = models.TextField(_("introduction"), help_text=_("One or two sentences under the title."))
    thank_you = models.TextField(
        _("thank-you message"), help_text=_("Shown once the message is sent: what happens next.")
    )

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("thank_you")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = []
    max_count = 1

    class Meta:
        verbose_name = _("contact page")

    def serve(self, request, *args, **kwargs):
        # Imported here: cms.contact imports these page models.
        from .contact import contact_serve

        return contact_serve(page=self, request=request)


class ContactMessage(models.Model):
    """A message sent through the contact page, kept so that nothing is lost if the e-mail fails."""

    launchpad = models.ForeignKey(
        Launchpad, on_delete=models.PROTECT, related_name="contact_messages", verbose_name=_("launchpad")
    )
    name = models.CharField(_("name"), max_length=120)
    email = models.EmailField(_("e-mail address"))
    organisation = models.CharField(_("company or organisation"), max_length=200, blank=True)
    message = models.TextField(_("message"))
    language = models.CharField(_("language"), max_length=8)
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    notified_at = models.DateTimeField(_("e-mailed to the launchpad"), null=True, blank=True)

    class Meta:
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} · {self.launchpad}"
