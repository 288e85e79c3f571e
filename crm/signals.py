"""Signals other apps listen to. crm never imports the apps above it; they react here.

person_erased(sender=Person, person_id: int, email_digests: list[str], acting_user)
    Sent (after commit) when a person was erased on request. `email_digests` are
    crm.identity.email_digest() of every address the person had, so that a suppression
    list can keep them and a later import cannot re-add the person to campaigns.

people_merged(sender=Person, kept_id: int, dropped_id: int, acting_user)
    Sent (after commit) when two people were merged; rows pointing to the dropped person in other
    apps should be re-pointed to the kept one.
"""

from django.dispatch import Signal

person_erased = Signal()
people_merged = Signal()
