"""darktrail: a training lab for cyber-investigators."""

__version__ = "0.1.0"
