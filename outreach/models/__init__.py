from .events import Event
from .system import WorkerHeartbeat

__all__ = ["Event", "WorkerHeartbeat"]
