"""The sitemap: every live public page of the site, once per language, with its hreflang alternates.

Wagtail's own sitemap lists each page once, in whatever language the request was in; the
site is served in English and French (``/en/…``, ``/fr/…``), so each page is listed in both,
and each entry names the other language's address (``xhtml:link rel="alternate"``), as
search engines expect for translated pages.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from wagtail.contrib.sitemaps import Sitemap


class BilingualSitemap(Sitemap):
    def _urls(self, page, protocol, domain):
        urls = []
        last_mods = set()
        languages = [code for code, _name in settings.LANGUAGES]
        for item in self.paginator.page(page).object_list.iterator():
            per_language = {}
            for language in languages:
                with translation.override(language):
                    per_language[language] = item.get_sitemap_urls(self.request)
            # One entry per (page, language): the entries of each language, side by side.
            for index in range(len(per_language[languages[0]])):
                alternates = [
                    {"lang_code": language, "location": per_language[language][index]["location"]}
                    for language in languages
                    if index < len(per_language[language])
                ]
                default = next((a for a in alternates if a["lang_code"] == settings.LANGUAGE_CODE), None)
                if default:
                    alternates.append({"lang_code": "x-default", "location": default["location"]})
                for language in languages:
                    if index >= len(per_language[language]):
                        continue
                    localised = {**per_language[language][index], "alternates": alternates}
                    urls.append(localised)
                    last_mods.add(localised.get("lastmod"))
        if last_mods and None not in last_mods:
            self.latest_lastmod = max(last_mods)
        return urls
