from competitions.models.competitions import Competition, Criterion, Round, Track
from competitions.models.entries import Attachment, Entry, EntryStatus, TeamMember
from competitions.models.jury import (
    Assignment,
    ConflictOfInterest,
    JudgeRole,
    RoundEntry,
    Score,
)

__all__ = [
    "Assignment",
    "Attachment",
    "Competition",
    "ConflictOfInterest",
    "Criterion",
    "Entry",
    "EntryStatus",
    "JudgeRole",
    "Round",
    "RoundEntry",
    "Score",
    "TeamMember",
    "Track",
]
