"""The expo's actions in the admin history."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks


@hooks.register("register_log_actions")
def register_expo_log_actions(actions):
    for action, label in [
        ("expos.request.mark", _("Meeting request answered")),
        ("expos.request.force", _("Meeting forced by staff")),
        ("expos.schedule", _("Matchmaking meetings scheduled")),
        ("expos.agreement.signed", _("Agreement signed")),
        ("expos.buyer.approve", _("Buyer approved")),
        ("expos.buyer.retier", _("Buyer re-tiered")),
    ]:
        actions.register_action(action, label, label)
