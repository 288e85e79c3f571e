"""Invalidate the page cache (and the menu kept per process) whenever something a public page
shows has changed."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished, post_page_move

from site_cms.page_cache import invalidate_all


def connect() -> None:
    from outreach import models as outreach_models
    from site_cms.models import Session, SessionSpeaker, Speaker

    page_published.connect(invalidate_all, dispatch_uid="site_cms_cache_published")
    page_unpublished.connect(invalidate_all, dispatch_uid="site_cms_cache_unpublished")
    post_page_move.connect(invalidate_all, dispatch_uid="site_cms_cache_moved")
    # The office's branding is in every page's header and footer.
    senders = [
        outreach_models.Event,
        Session,
        SessionSpeaker,
        Speaker,
        outreach_models.OfficeBranding,
    ]
    if hasattr(outreach_models, "EventOrganizer"):
        senders.append(outreach_models.EventOrganizer)
    for sender in senders:
        uid = f"site_cms_cache_{sender._meta.label_lower}"
        post_save.connect(invalidate_all, sender=sender, dispatch_uid=f"{uid}_save")
        post_delete.connect(invalidate_all, sender=sender, dispatch_uid=f"{uid}_delete")
    from wagtail.models import Locale, Page, PageViewRestriction

    post_delete.connect(invalidate_all, sender=Page, dispatch_uid="site_cms_cache_page_deleted")
    # Making a section private (or public again) and adding or removing a language change what
    # listings, menus and language switchers show.
    for sender in (PageViewRestriction, Locale):
        uid = f"site_cms_cache_{sender._meta.label_lower}"
        post_save.connect(invalidate_all, sender=sender, dispatch_uid=f"{uid}_save")
        post_delete.connect(invalidate_all, sender=sender, dispatch_uid=f"{uid}_delete")
