from .events import EventIndexPage, EventPage
from .home import HomePage
from .news import NewsIndexPage, NewsPage, NewsPageTag
from .programme import Session, SessionSpeaker, Speaker
from .standard import StandardPage

__all__ = [
    "EventIndexPage",
    "EventPage",
    "HomePage",
    "NewsIndexPage",
    "NewsPage",
    "NewsPageTag",
    "Session",
    "SessionSpeaker",
    "Speaker",
    "StandardPage",
]
