"""Labels defined elsewhere (outreach's event kinds and statuses, session roles) that the public
site shows. Listed here so that `makemessages` puts them in site_cms's public catalogues, which
cover every site language; the same msgids then translate the model choices too."""

from django.utils.translation import gettext_lazy as _

PUBLIC_LABELS = [
    # outreach.Event.Kind
    _("conference + expo + competition"),
    _("forum"),
    _("sub-forum"),
    _("conference"),
    _("expo"),
    _("competition"),
    _("roadshow"),
    _("roadshow stop"),
    _("matchmaking session"),
    _("signing ceremony"),
    _("other event"),
    # outreach.Event.Status (those shown publicly)
    _("announced"),
    _("postponed"),
    _("cancelled"),
    _("finished"),
    # outreach.EventOrganizer.Role
    _("guiding unit"),
    _("host"),
    _("organizer"),
    _("co-organizer"),
    _("supporting organization"),
    _("media partner"),
    _("local partner"),
    # site_cms.SessionSpeaker.Role
    _("speaker"),
    _("keynote speaker"),
    _("moderator"),
    _("panellist"),
    _("juror"),
    # the home page's first title (site_cms.services.site_setup)
    _("Welcome"),
]
