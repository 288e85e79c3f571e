"""site_cms's admin views (the snippets' viewsets are in ``site_cms/wagtail_hooks.py``)."""
