from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class WorkerHeartbeat(models.Model):
    """A background worker said it is alive. Campaigns, imports and reminders all depend on the
    workers, so the admin dashboard shows when one last answered."""

    hostname = models.CharField(pgettext_lazy("computer", "host"), max_length=255)
    pid = models.PositiveIntegerField(_("process id"))
    requested_by_pid = models.PositiveIntegerField(
        _("requested by process"),
        null=True,
        blank=True,
        help_text=_("The web process that asked for this check, if any."),
    )
    seen_at = models.DateTimeField(_("seen at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("worker heartbeat")
        verbose_name_plural = _("worker heartbeats")
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"{self.hostname}:{self.pid} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"
