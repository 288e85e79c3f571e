"""Signals other apps listen to. crm never imports the apps above it; they react here.

person_erased(sender=Person, person_id: int, email_digests: list[str], acting_user)
    Sent (after commit) when a person was erased on request. `email_digests` are
    crm.identity.email_digest() of every address the person had, so that a suppression
    list can keep them and a later import cannot re-add the person to campaigns.

person_erasing(sender=Person, person, secrets: list[str], acting_user)
    Sent inside the erasure's transaction, before the person's data is removed: apps holding
    copies of the person's name or addresses (`secrets`: every name form and address) scrub
    them there, so that the erasure is all or nothing.

people_merged(sender=Person, kept_id: int, dropped_id: int, acting_user, moved: dict)
    Sent inside the merge's transaction, before the dropped person is deleted: receivers re-point
    their rows from the dropped person to the kept one (crm.services.merge.repoint_references
    does it for a whole app) and record what they moved in `moved[<app label>]`, which is stored
    with the merge (crm.models.PersonMerge) for an undo.

people_unmerged(sender=Person, kept_id: int, dropped_id: int, acting_user, moved: dict)
    Sent inside the transaction of an undone merge, after the dropped person was recreated with
    the same id: receivers put back what they recorded in `moved[<app label>]`.
"""

from django.dispatch import Signal

person_erased = Signal()
person_erasing = Signal()
people_merged = Signal()
people_unmerged = Signal()
