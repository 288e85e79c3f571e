"""wagtail-localize's Translations report, paginated in a stable order.

wagtail-localize 1.14 pages through ``Translation`` rows without an ``order_by`` (Django warns
``UnorderedObjectListWarning``: a row may appear on two pages or on none). ``config/urls.py``
serves this subclass at the report's own paths, before wagtail-localize's."""

from __future__ import annotations

from wagtail_localize.views.report import TranslationsReportView


class OrderedTranslationsReportView(TranslationsReportView):
    def get_queryset(self):
        # newest first: the translations just started are the ones staff look for
        return super().get_queryset().order_by("-pk")
