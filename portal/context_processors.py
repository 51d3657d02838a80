from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from portal.middleware import is_signed_in

# The main navigation: (label, URL name). A section is current when the page's address
# starts with the section's address, so a filing page marks "Filings" as where the reader is.
MAIN_NAVIGATION = [
    (_("Search"), "search"),
    (_("Compliance"), "accountability:compliance"),
    (_("Inventory"), "accountability:inventory"),
    (_("Agencies"), "browse:agencies"),
    (_("Technologies"), "browse:technologies"),
    (_("Vendors"), "browse:vendors"),
    (_("Filings"), "browse:filings"),
    (_("Agency portal"), "submissions:home"),
]


def site_navigation(request):
    """The main navigation with the current section marked, and the current page's address
    in each interface language (for the language switcher and hreflang links)."""
    current_language = get_language()
    path = request.get_full_path()
    home = reverse("wagtail_serve", args=[""])
    sections = []
    for label, url_name in MAIN_NAVIGATION:
        url = reverse(url_name)
        sections.append({"label": label, "url": url, "is_current": request.path.startswith(url)})
    return {
        "home_url": home,
        "main_navigation": sections,
        "language_links": [
            {
                "code": code,
                "name": name,
                "url": translate_url(path, code),
                "is_current": code == current_language,
            }
            for code, name in settings.LANGUAGES
        ],
    }


def signed_in(request):
    """Whether the page is for someone signed in (Wagtail's editing bar is shown only then),
    found without touching the session of a reader who has none."""
    return {"signed_in": is_signed_in(request)}
