"""Personal data's tests use coaching's people and SMEs."""

from tests.coaching.conftest import (  # noqa: F401
    colleague,
    coordinator,
    fr,
    french_manager,
    french_sme,
    manager,
    sme,
    sme_user,
    uk,
)
