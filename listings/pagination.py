"""A paginator that never counts or skips further than `LISTINGS_MAX_PAGES` pages.

With 100,000 cases, counting every match and skipping to page 3,000 are what make a
listing slow; nobody reads that far. It counts at most one row past the last page it
shows (`SELECT COUNT(*) FROM (… LIMIT n)`, read from an index), says when there are
more, and a page number beyond it shows its last page, as any out-of-range number does.
"""

from functools import cached_property

from django.core.paginator import Paginator


class CappedPaginator(Paginator):
    def __init__(self, object_list, per_page, *, max_pages, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.max_count = max_pages * per_page

    @cached_property
    def _counted(self):
        # Without the order: the database stops at max_count + 1 matches instead of sorting them all.
        return self.object_list.order_by()[: self.max_count + 1].count()

    @cached_property
    def count(self):
        return min(self.max_count, self._counted)

    @property
    def has_more(self):
        """More matches than the pages shown hold."""
        return self._counted > self.max_count
