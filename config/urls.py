from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap as sitemap_view
from wagtail.documents import urls as wagtaildocs_urls

from cms.sitemaps import BilingualSitemap
from journey import views as journey_views

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/setlang/", journey_views.set_language, name="set_language"),
    # Every public page in both languages, with hreflang alternates (cms.sitemaps).
    path(
        "sitemap.xml",
        sitemap_view,
        {"sitemaps": {"pages": BilingualSitemap}, "template_name": "cms/sitemap.xml"},
        name="sitemap",
    ),
    # Machine-read addresses, the same in every language: calendar feeds, badge documents.
    path("calendar/", include("coaching.urls_public")),
    path("openbadges/", include("learning.urls_public")),
    path("connectors/", include("connectors.urls_public")),  # the shops' webhooks
]

urlpatterns += i18n_patterns(
    path("accounts/", include("journey.urls_accounts")),
    path("portal/smes/<slug:slug>/data/", include("connectors.urls")),
    path("portal/smes/<slug:slug>/toolkit/", include("toolkit.urls")),
    path("portal/coaching/", include("coaching.urls")),
    path("portal/learning/", include("learning.urls")),
    path("portal/privacy/", include("privacy.urls")),
    path("portal/", include("journey.urls")),
    # Wagtail's page tree last: it answers every other path.
    path("", include(wagtail_urls)),
)

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns = static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT) + urlpatterns
