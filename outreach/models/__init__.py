from .campaigns import (
    Campaign,
    CampaignContent,
    CampaignKind,
    CampaignPurpose,
    CampaignStatus,
    ScheduleKind,
)
from .checkin import CheckIn, DoorAssignment, ProtocolRank
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
    "CheckIn",
    "DeliveryStatus",
    "DoorAssignment",
    "Event",
    "EventOrganizer",
    "Message",
    "MessageStatus",
    "ProtocolRank",
    "ScheduleKind",
    "SendRateBucket",
    "Suppression",
    "SuppressionReason",
    "TrackingEvent",
    "WorkerHeartbeat",
]
