from .content import (
    ChainStage,
    Content,
    Enterprise,
    Highlight,
    Honour,
    Industry,
    KeyFigure,
    Milestone,
    Park,
    PlanTarget,
    Policy,
    PolicyMeasure,
    Project,
    ZoneProfile,
)
from .enquiries import Enquiry, EnquiryNote, OutgoingMail
from .limits import RateLimitCounter

__all__ = [
    "ChainStage",
    "Content",
    "Enquiry",
    "EnquiryNote",
    "Enterprise",
    "Highlight",
    "Honour",
    "Industry",
    "KeyFigure",
    "Milestone",
    "OutgoingMail",
    "Park",
    "PlanTarget",
    "Policy",
    "PolicyMeasure",
    "Project",
    "RateLimitCounter",
    "ZoneProfile",
]
