"""peerjournal: a private reflective-practice journal for peer workers and their supervisors."""

__version__ = "0.1.0"
