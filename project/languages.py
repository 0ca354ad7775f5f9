"""The languages a page is offered in: each one's address for the language switch and the hreflang links."""

from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation
from django.utils.functional import SimpleLazyObject


def page_in(request, language):
    """The address of the page `request` shows, in `language`: the same view and arguments, the same query.

    A page that does not exist has no translation: the switch leads to the home page instead.
    """
    match = request.resolver_match  # set once the URL resolved; not yet for a page a middleware answers
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
    with translation.override(language):
        try:
            url = reverse(match.view_name, args=match.args, kwargs=match.kwargs) if match else reverse("home")
        except NoReverseMatch:  # a view Django routes by pattern alone (no name): its own page has no twin
            match = None
            url = reverse("home")
    query = request.META.get("QUERY_STRING", "")
    return f"{url}?{query}" if match and query else url


def languages(request):
    """`languages`: code, own name, address of this page and whether it is the page's language, for each one."""

    def offered():
        current = translation.get_language()
        entries = []
        for code, name in settings.LANGUAGES:
            url = page_in(request, code)
            # The site's own origin, never the request's Host header.
            entries.append(
                {
                    "code": code,
                    "name": name,
                    "url": url,
                    "absolute_url": settings.SITE_URL + url,
                    "is_current": code == current,
                }
            )
        return entries

    # Worked out once, and only where a template asks for it. A page Django could not route (a 404) offers
    # the switch (to the home page) but no hreflang alternates.
    return {
        "languages": SimpleLazyObject(offered),
        "page_has_translations": lambda: request.resolver_match is not None,
    }
