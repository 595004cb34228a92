"""The content blocks every page shares: public guides (cms) and course lessons (learning).

They live here, below both apps, because cms and learning may not import each other, and
because one of them — "try it on your data" — links to a toolkit tool. Each block renders
with its template in ``templates/blocks/``.
"""

from __future__ import annotations

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock

from .models import Tool


class ImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("image"))
    alt_text = blocks.CharBlock(
        label=_("text alternative"), help_text=_("What the image shows, for readers who cannot see it.")
    )
    caption = blocks.CharBlock(label=_("caption"), required=False)

    class Meta:
        icon = "image"
        label = _("Image")
        template = "blocks/image.html"


class VideoBlock(blocks.StructBlock):
    video = EmbedBlock(label=_("video address"))
    title = blocks.CharBlock(label=_("title"), help_text=_("Names the video for screen readers."))
    transcript = blocks.TextBlock(label=_("transcript or summary"), required=False)

    class Meta:
        icon = "media"
        label = _("Video")
        template = "blocks/video.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        embed = value.get("video")
        context["player"] = titled_frames(embed.html if embed else "", value.get("title") or "")
        return context


IFRAME_WITHOUT_TITLE = re.compile(r"<iframe\b(?![^>]*\stitle=)", re.IGNORECASE)


def titled_frames(html: str, title: str) -> str:
    """The embed's HTML (from Wagtail's embed finder, trusted as it is) with ``title`` on every frame
    that has none: a screen reader names a frame by its title."""
    named = f'<iframe title="{escape(title)}"'
    return mark_safe(IFRAME_WITHOUT_TITLE.sub(lambda _match: named, html))


class CalloutBlock(blocks.StructBlock):
    tone = blocks.ChoiceBlock(
        label=_("kind"),
        choices=[("tip", _("Tip")), ("warning", _("Watch out")), ("example", _("Example"))],
        default="tip",
    )
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "link", "ul", "ol"])

    class Meta:
        icon = "help"
        label = _("Call-out")
        template = "blocks/callout.html"


class TryOnDataBlock(blocks.StructBlock):
    tool = blocks.ChoiceBlock(label=_("toolkit tool"), choices=Tool.choices)
    text = blocks.CharBlock(label=_("what to look at"), help_text=_("One sentence: what to try on your own data."))

    class Meta:
        icon = "pick"
        label = _("Try it on your data")
        template = "blocks/try_on_data.html"


class ContentBlock(blocks.StreamBlock):
    """The body of a guide, a news item or a lesson."""

    text = blocks.RichTextBlock(
        label=_("Text"), features=["h2", "h3", "bold", "italic", "link", "ol", "ul", "document-link"]
    )
    image = ImageBlock()
    video = VideoBlock()
    callout = CalloutBlock()
    try_on_data = TryOnDataBlock()
