"""writer: a desktop writing and manuscript manager for fiction and fan-fiction authors."""

__version__ = "0.1.0"
