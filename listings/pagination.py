"""Paging through a listing of 100,000 cases cheaply: capped, ranked in tiers, rows fetched by id.

- **Capped.** It never counts or skips further than `LISTINGS_MAX_PAGES` pages: counting
  every match and skipping to page 3,000 are what make a listing slow, and nobody reads
  that far. It counts at most one row past the last page it shows
  (`SELECT COUNT(*) FROM (… LIMIT n)`, read from an index), says when there are more, and
  a page number beyond it shows its last page, as any out-of-range number does.
- **Tiers.** The matches may come as several querysets read one after another (a search's
  exact matches, then the near ones: `listings.search.tiers`). Each tier is read in the
  listing's own order, which an index serves, so ranking never sorts every match.
- **Rows by id.** A page first reads its cases' ids, which the listing indexes hold
  (no row is read for the rows it skips), then only those rows, from `rows`.
- **A search at once.** Given the listing's `filters`, a search is filtered and ranked from
  the copies its search rows hold of their cases' place in the listings, without reading
  the cases (`listings.search.ranking_of`): a short list in the web process, a broader one,
  or one of common words only, by one query on the search rows. Either gives the ids of the first `limit` + 1 matches in
  rank order, so both the count and any page. The page's rows still come from `rows`
  (published cases only), so a copy behind its case could drop a card from a page, never
  show a hidden case. Without the filters, a search narrowed to a list of a few thousand
  cases at most (`listings.search.is_short_list`) reads those ids in rank order in one
  query on the cases: ranking that few rows is cheaper than counting them and reading the
  tiers apart.
"""

from functools import cached_property

from django.core.paginator import Paginator

from . import search


class TieredCases:
    """`matches` (a queryset of cases, maybe searched) as a sequence the paginator can count and slice.

    Slices are read tier by tier (`search.tiers`): the exact matches, then the others; a
    search ranked from its search rows, or narrowed to a short list, from its ids read in
    rank order at once.
    """

    def __init__(self, matches, *, rows, limit, filters=None):
        self.matches = matches
        self.ranking = search.ranking_of(matches) if filters is not None else None
        self.at_once = self.ranking is not None or search.is_short_list(matches)
        self.tiers = search.tiers(matches)
        self.rows = rows
        self.limit = limit
        self.filters = filters

    @cached_property
    def ranked_ids(self):
        """A search's ids in rank order, no further than `limit` + 1: filtered by `filters` and ranked from its
        search rows' copies when the listing gives its filters, else (a short list) read from the cases."""
        if self.ranking is not None:
            ranked = self.ranking.ranked(**self.filters)
        else:
            ranked = self.matches.values_list("pk", flat=True)
        return list(ranked[: self.limit + 1])

    @cached_property
    def counted(self):
        """How many cases match, counting no further than `limit` + 1."""
        if self.at_once:
            return len(self.ranked_ids)
        # Without the order: the database stops at that many matches instead of sorting them all.
        return self.matches.order_by()[: self.limit + 1].count()

    def count(self):
        return self.counted

    def __len__(self):
        return self.counted

    def __getitem__(self, window):
        start, stop = window.start or 0, window.stop
        ids = self.ranked_ids[start:stop] if self.at_once else self._tiered_ids(start, stop)
        by_id = self.rows.in_bulk(ids)
        return [by_id[pk] for pk in ids if pk in by_id]

    def _tiered_ids(self, start, stop):
        ids = []
        for tier in self.tiers:
            found = list(tier.values_list("pk", flat=True)[start:stop]) if stop > start else []
            ids += found
            if stop <= start + len(found):
                break
            # This tier ended inside the window or before it: how many cases it holds.
            held = start + len(found) if found else tier.order_by()[: start + 1].count()
            start, stop = max(0, start - held), stop - held
        return ids


class CappedPaginator(Paginator):
    """Pages of `TieredCases(matches)`, at most `max_pages` of them."""

    def __init__(self, matches, per_page, *, rows, max_pages, filters=None, **kwargs):
        self.max_count = max_pages * per_page
        cases = TieredCases(matches, rows=rows, limit=self.max_count, filters=filters)
        super().__init__(cases, per_page, **kwargs)

    @cached_property
    def count(self):
        return min(self.max_count, self.object_list.count())

    @property
    def has_more(self):
        """More matches than the pages shown hold."""
        return self.object_list.count() > self.max_count
