from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import serializers

from crm import access
from crm.models import Person, Segment
from outreach.models import (
    Campaign,
    CampaignContent,
    Message,
    ScheduleKind,
    Suppression,
    SuppressionReason,
)
from outreach.services.campaigns import EDITABLE_FIELDS


class CampaignContentSerializer(serializers.ModelSerializer):
    class Meta:
        model = CampaignContent
        fields = ["language", "subject", "preheader", "body"]


class CampaignSerializer(serializers.ModelSerializer):
    contents = CampaignContentSerializer(many=True, read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            *EDITABLE_FIELDS,
            "segments",
            "additions",
            "exclusions",
            "schedule_kind",
            "send_at",
            "local_date",
            "local_time",
            "status",
            "status_note",
            "created_by",
            "approved_by",
            "approved_at",
            "approved_count",
            "frozen_at",
            "started_at",
            "finished_at",
            "contents",
        ]
        read_only_fields = [
            "segments",
            "additions",
            "exclusions",
            "schedule_kind",
            "send_at",
            "local_date",
            "local_time",
            "status",
            "status_note",
            "created_by",
            "approved_by",
            "approved_at",
            "approved_count",
            "frozen_at",
            "started_at",
            "finished_at",
        ]


# Ids as the database stores them (bigint): anything else is a 400, not a database error.
MAX_ID = 2**63 - 1


def id_list() -> serializers.ListField:
    return serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID), required=False
    )


class AudienceSerializer(serializers.Serializer):
    segments = id_list()
    additions = id_list()
    exclusions = id_list()

    def _existing(self, model, ids: list[int]) -> list[int]:
        rows = model.objects.filter(pk__in=ids)
        if model is Person:
            # A person hidden from the caller is answered as one that does not exist.
            request = self.context.get("request")
            rows = access.visible_people(getattr(request, "user", None), rows)
        found = set(rows.values_list("pk", flat=True))
        missing = sorted(set(ids) - found)
        if missing:
            raise serializers.ValidationError(
                _("No such %(kind)s: %(ids)s.")
                % {"kind": model._meta.verbose_name, "ids": ", ".join(map(str, missing[:20]))}
            )
        return ids

    def validate_segments(self, value):
        return self._existing(Segment, value)

    def validate_additions(self, value):
        return self._existing(Person, value)

    def validate_exclusions(self, value):
        return self._existing(Person, value)


class RejectSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=255, help_text="Why the campaign goes back to its author (they are told)."
    )


class ApproveSerializer(serializers.Serializer):
    audience_count = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text="The audience size the approver was shown; approval fails if it changed.",
    )


class PreviewRequestSerializer(serializers.Serializer):
    person = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    language = serializers.CharField()


class PreviewSerializer(serializers.Serializer):
    subject = serializers.CharField()
    text = serializers.CharField()
    html = serializers.CharField()
    to = serializers.CharField()


class ScheduleSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ScheduleKind.choices)
    send_at = serializers.DateTimeField(required=False)
    local_date = serializers.DateField(required=False)
    local_time = serializers.TimeField(required=False)


class MessageSerializer(serializers.ModelSerializer):
    email = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = [
            "id",
            "campaign",
            "public_id",
            "person",
            "via_assistant",
            "email",
            "language",
            "due_at",
            "status",
            "attempts",
            "last_error",
            "esp_message_id",
            "sent_at",
            "delivery_status",
            "delivered_at",
            "opened_at",
            "clicked_at",
            "soft_bounced_at",
            "bounced_at",
            "complained_at",
            "unsubscribed_at",
        ]

    def get_email(self, message: Message) -> str:
        """Masked for users who may not see contact details (the CRM's own masking); empty
        for a recipient hidden from them (crm.access.message_recipient)."""
        request = self.context.get("request")
        return access.message_recipient(getattr(request, "user", None), message)[1]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        name, _email, error = access.message_recipient(getattr(request, "user", None), instance)
        if name == str(access.RESTRICTED_LABEL):
            data["person"] = data["via_assistant"] = None
        data["last_error"] = error
        return data


class DecisionSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    decision = serializers.ChoiceField(choices=[("mark_sent", "mark sent"), ("resend", "resend")])


class FunnelSerializer(serializers.Serializer):
    sent = serializers.IntegerField()
    delivered = serializers.IntegerField()
    opened = serializers.IntegerField()
    clicked = serializers.IntegerField()
    hard_bounced = serializers.IntegerField(
        help_text="Messages that failed permanently (hard bounce or a permanent refusal)."
    )
    soft_bounced = serializers.IntegerField(
        help_text="Messages whose last report is a temporary failure (the ESP retries); a soft "
        "bounce later delivered counts as delivered only."
    )
    complained = serializers.IntegerField()
    unsubscribed = serializers.IntegerField()


class StatsSerializer(serializers.Serializer):
    status = serializers.CharField()
    counts = serializers.DictField(child=serializers.IntegerField())
    rate_per_second = serializers.FloatField()
    remaining = serializers.IntegerField()
    eta_seconds = serializers.IntegerField(allow_null=True)
    funnel = FunnelSerializer()


class SuppressionSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(write_only=True, required=False)

    class Meta:
        model = Suppression
        fields = ["id", "email", "email_digest", "purpose", "reason", "note", "created_at"]
        read_only_fields = ["email_digest", "created_at"]
        extra_kwargs = {"reason": {"default": SuppressionReason.MANUAL}}
