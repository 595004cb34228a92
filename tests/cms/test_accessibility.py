"""Accessibility of the public pages, read from their HTML: headings in order, labels, alt text, skip link,
and the colour contrast of the site's palette (WCAG 2.2 AA)."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings

from cms.models import GuidePage

pytestmark = pytest.mark.django_db

PATHS = [
    "",
    "guides/",
    "guides/inventory/",
    "guides/market-assessment/",
    "guides/business-planning/",
    "guides/business-growth/",
    "resources/",
    "resources/?topic=data",
    "news/",
    "news/toolkit-guides-online/",
    "contact/",
    "privacy/",
    "eligibility/",
    "accounts/login/",
]


class PageOutline(HTMLParser):
    """What the checks need from a page: headings, images, form controls, labels, ids, links."""

    def __init__(self):
        super().__init__()
        self.headings: list[int] = []
        self.images: list[dict] = []
        self.controls: list[dict] = []
        self.label_for: set[str] = set()
        self.ids: list[str] = []
        self.links: list[dict] = []
        self.described_by: list[str] = []
        self._open_labels = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.append(attributes["id"])
        if attributes.get("aria-describedby"):
            self.described_by += attributes["aria-describedby"].split()
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        elif tag == "img":
            self.images.append(attributes)
        elif tag == "label":
            self._open_labels += 1
            if attributes.get("for"):
                self.label_for.add(attributes["for"])
        elif tag in ("input", "select", "textarea"):
            if attributes.get("type") not in ("hidden", "submit", "button"):
                self.controls.append({**attributes, "_in_label": self._open_labels > 0, "_tag": tag})
        elif tag == "a":
            self.links.append(attributes)

    def handle_endtag(self, tag):
        if tag == "label":
            self._open_labels -= 1


def outline(html: str) -> PageOutline:
    parser = PageOutline()
    parser.feed(html)
    return parser


def problems(html: str) -> list[str]:
    """Every accessibility problem these checks find on a page (an empty list when there is none)."""
    page = outline(html)
    found = []
    if page.headings.count(1) != 1:
        found.append(f"{page.headings.count(1)} h1 headings instead of one")
    if page.headings and page.headings[0] != 1:
        found.append(f"the first heading is h{page.headings[0]}, not h1")
    for before, after in zip(page.headings, page.headings[1:], strict=False):
        if after > before + 1:
            found.append(f"h{before} is followed by h{after}: a level is skipped")
    for image in page.images:
        if "alt" not in image:
            found.append(f"image without alt text: {image.get('src')}")
    for control in page.controls:
        named = (
            control.get("id") in page.label_for
            or control["_in_label"]
            or control.get("aria-label")
            or control.get("aria-labelledby")
        )
        if not named:
            found.append(f"{control['_tag']} {control.get('name')} has no label")
    duplicates = {value for value in page.ids if page.ids.count(value) > 1}
    if duplicates:
        found.append(f"duplicate ids: {sorted(duplicates)}")
    missing = set(page.described_by) - set(page.ids)
    if missing:
        found.append(f"aria-describedby points to missing ids: {sorted(missing)}")
    if not page.links or page.links[0].get("href") != "#main" or "main" not in page.ids:
        found.append("the first link is not a skip link to the main content")
    return found


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("path", PATHS)
def test_public_pages_pass_the_html_checks(client, launchpads, path, language):
    response = client.get(f"/{language}/{path}")
    assert response.status_code == 200
    assert problems(response.content.decode()) == []


def test_the_contact_form_with_errors_passes_the_html_checks(client, launchpads):
    html = client.post("/fr/contact/", {"name": ""}).content.decode()
    assert 'role="alert"' in html
    assert problems(html) == []


def test_the_checks_find_what_they_look_for():
    html = (
        '<a href="#content">x</a><main id="main"><h2>x</h2><h1>t</h1><h1>u</h1><h4>z</h4>'
        '<img src="a.png"><input name="q" id="q"><input type="hidden" name="h"></main>'
    )
    found = problems(html)
    assert "2 h1 headings instead of one" in found
    assert "the first heading is h2, not h1" in found
    assert "h1 is followed by h4: a level is skipped" in found
    assert "image without alt text: a.png" in found
    assert "input q has no label" in found
    assert "the first link is not a skip link to the main content" in found


def test_an_image_block_renders_its_text_alternative(client, home_page):
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    buffer = io.BytesIO()
    PILImage.new("RGB", (900, 900), "#0b6e6e").save(buffer, "PNG")
    image = get_image_model().objects.create(title="Fix list", file=ImageFile(buffer, name="fix-list.png"))
    guide = GuidePage.objects.get(slug="inventory")
    alt = "The fix list: three products, each with the checks it fails and the points it costs."
    guide.body_en = [
        *[(block.block_type, block.value) for block in guide.body_en],
        ("image", {"image": image, "alt_text": alt, "caption": "The fix list"}),
    ]
    guide.save()
    html = client.get("/en/guides/inventory/").content.decode()
    assert f'alt="{alt}"' in html
    assert problems(html) == []


def _luminance(colour: str) -> float:
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))

    def linear(channel):
        return channel / 12.92 if channel <= 0.03928 else ((channel + 0.055) / 1.055) ** 2.4

    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(foreground: str, background: str) -> float:
    light, dark = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_palette_has_enough_contrast_for_text():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "site.css").read_text()
    palette = dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", css.split("}", 1)[0]))
    pairs = [
        ("ink", "paper"),
        ("ink", "wash"),
        ("muted", "paper"),
        ("muted", "wash"),
        ("accent", "paper"),
        ("accent", "wash"),
    ]
    for foreground, background in pairs:
        ratio = contrast(palette[foreground], palette[background])
        assert ratio >= 4.5, f"{foreground} on {background}: {ratio:.2f}"
    assert contrast("#ffffff", palette["accent"]) >= 4.5  # button text
    # Call-outs: text on their tinted backgrounds.
    for background in re.findall(r"\.callout[\w-]* \{[^}]*background: (#[0-9a-fA-F]{6})", css):
        assert contrast(palette["muted"], background) >= 4.5, background
