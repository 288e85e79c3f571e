"""The CRM's Wagtail admin: views, forms, listing filters, widgets and bulk actions (registered
from crm/wagtail_hooks.py)."""
