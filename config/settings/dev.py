"""Laptop settings: DEBUG on; everything else as base (SQLite, eager tasks, console e-mail)."""

from .base import *  # noqa: F403
from .base import env

DEBUG = env.bool("DEBUG", default=True)
# The local demo's shop servers run on this machine.
CONNECTORS_ALLOW_LOCAL_ADDRESSES = env.bool("CONNECTORS_ALLOW_LOCAL_ADDRESSES", default=True)
