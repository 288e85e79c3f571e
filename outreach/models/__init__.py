from .events import Event, EventOrganizer
from .system import WorkerHeartbeat

__all__ = ["Event", "EventOrganizer", "WorkerHeartbeat"]
