"""Programme reporting's tests read every app: coaching's people and SMEs serve most of them."""

from tests.coaching.conftest import (  # noqa: F401
    colleague,
    coordinator,
    fr,
    french_manager,
    french_sme,
    manager,
    other_sme,
    sme,
    uk,
)
