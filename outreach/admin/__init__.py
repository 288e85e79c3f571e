"""The outreach Wagtail admin: campaign screens, events, forms and listing filters (registered
from outreach/wagtail_hooks.py)."""
