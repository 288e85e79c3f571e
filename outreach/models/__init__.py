from .system import WorkerHeartbeat

__all__ = ["WorkerHeartbeat"]
