"""The programme, its launchpads, people and SMEs: one module per subject, every name importable from here.

- ``programme``: the programme and its launchpads;
- ``people``: users and their roles;
- ``sme``: the SMEs, their contact people, the journey's stages and stage log, screening;
- ``enquiries``: what the public eligibility questionnaire received;
- ``audit``: Wagtail's model log entries read through ``journey.scoping``.
"""

from .audit import ScopedLogEntryManager, ScopedModelLogEntry
from .enquiries import Analytics, Enquiry, Experience, TurnoverBand
from .people import Role, User, UserManager
from .programme import Country, Currency, Launchpad, Programme
from .sme import (
    ACTIVE_STAGES,
    COACHED_STAGES,
    ENROLLED_STAGES,
    FINAL_STAGES,
    SME,
    Assessment,
    CompanySize,
    ContactPerson,
    MarketOrientation,
    ScreeningChecklist,
    Sector,
    ShopPlatform,
    Stage,
    StageChange,
)

__all__ = [
    "ACTIVE_STAGES",
    "COACHED_STAGES",
    "ENROLLED_STAGES",
    "FINAL_STAGES",
    "SME",
    "Analytics",
    "Assessment",
    "CompanySize",
    "ContactPerson",
    "Country",
    "Currency",
    "Enquiry",
    "Experience",
    "Launchpad",
    "MarketOrientation",
    "Programme",
    "Role",
    "ScopedLogEntryManager",
    "ScopedModelLogEntry",
    "ScreeningChecklist",
    "Sector",
    "ShopPlatform",
    "Stage",
    "StageChange",
    "TurnoverBand",
    "User",
    "UserManager",
]
