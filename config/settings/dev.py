"""Laptop settings: DEBUG on; everything else as base (SQLite, eager tasks, console e-mail)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
