from .branding import OfficeBranding
from .campaigns import (
    AnswerFilter,
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
from .registrations import (
    TRANSITIONS,
    Answer,
    AnswerChannel,
    Companion,
    Question,
    Registration,
    RegistrationChange,
    RegistrationStatus,
    RevokedRsvpLink,
    Rsvp,
    SessionChoice,
    WaitlistEntry,
)
from .suppression import SendRateBucket, Suppression, SuppressionReason
from .system import WorkerHeartbeat
from .tracking import TrackingEvent

__all__ = [
    "DELIVERY_PRECEDENCE",
    "TRANSITIONS",
    "Answer",
    "AnswerChannel",
    "AnswerFilter",
    "Campaign",
    "CampaignContent",
    "CampaignKind",
    "CampaignPurpose",
    "CampaignStatus",
    "CheckIn",
    "Companion",
    "DeliveryStatus",
    "DoorAssignment",
    "Event",
    "EventOrganizer",
    "Message",
    "MessageStatus",
    "OfficeBranding",
    "ProtocolRank",
    "Question",
    "Registration",
    "RegistrationChange",
    "RegistrationStatus",
    "RevokedRsvpLink",
    "Rsvp",
    "ScheduleKind",
    "SendRateBucket",
    "SessionChoice",
    "Suppression",
    "SuppressionReason",
    "TrackingEvent",
    "WaitlistEntry",
    "WorkerHeartbeat",
]
