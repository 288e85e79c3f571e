from .campaigns import (
    Campaign,
    CampaignContent,
    CampaignKind,
    CampaignPurpose,
    CampaignStatus,
    ScheduleKind,
)
from .events import Event, EventOrganizer
from .messages import DELIVERY_PRECEDENCE, DeliveryStatus, Message, MessageStatus
from .suppression import SendRateBucket, Suppression, SuppressionReason
from .system import WorkerHeartbeat
from .tracking import TrackingEvent

__all__ = [
    "DELIVERY_PRECEDENCE",
    "Campaign",
    "CampaignContent",
    "CampaignKind",
    "CampaignPurpose",
    "CampaignStatus",
    "DeliveryStatus",
    "Event",
    "EventOrganizer",
    "Message",
    "MessageStatus",
    "ScheduleKind",
    "SendRateBucket",
    "Suppression",
    "SuppressionReason",
    "TrackingEvent",
    "WorkerHeartbeat",
]
