"""anymail backends extended for Liaison (selected by ``config/email.py``)."""
