from .choices import (
    ConsentChannel,
    ConsentPurpose,
    FormOfAddress,
    Honorific,
    InteractionKind,
    LegalBasis,
    MessagingPlatform,
    NameOrder,
    OrganizationKind,
    PartnershipKind,
    PartnershipStatus,
    PhoneKind,
    RelationshipScope,
    StrategicTier,
    VipLevel,
)
from .consent import Consent
from .dedupe import DuplicateCandidate, DuplicateStatus, PersonMatchKey, PersonMerge
from .imports import (
    ContactImport,
    ImportChange,
    ImportChangeKind,
    ImportIssue,
    ImportMapping,
    ImportMode,
    ImportPolicy,
    ImportStatus,
    PersonExternalId,
)
from .interactions import Interaction
from .links import Affiliation, Relationship, RelationshipType
from .organizations import Organization, SisterCityPartnership
from .people import MessagingHandle, Person, PersonEmail, PersonPhone
from .segments import Segment
from .tags import TaggedOrganization, TaggedPerson
from .taxonomy import Sector

__all__ = [
    "Affiliation",
    "Consent",
    "ConsentChannel",
    "ConsentPurpose",
    "ContactImport",
    "DuplicateCandidate",
    "DuplicateStatus",
    "FormOfAddress",
    "Honorific",
    "ImportChange",
    "ImportChangeKind",
    "ImportIssue",
    "ImportMapping",
    "ImportMode",
    "ImportPolicy",
    "ImportStatus",
    "Interaction",
    "InteractionKind",
    "LegalBasis",
    "MessagingHandle",
    "MessagingPlatform",
    "NameOrder",
    "Organization",
    "OrganizationKind",
    "PartnershipKind",
    "PartnershipStatus",
    "Person",
    "PersonEmail",
    "PersonExternalId",
    "PersonMatchKey",
    "PersonMerge",
    "PersonPhone",
    "PhoneKind",
    "Relationship",
    "RelationshipScope",
    "RelationshipType",
    "Sector",
    "Segment",
    "SisterCityPartnership",
    "StrategicTier",
    "TaggedOrganization",
    "TaggedPerson",
    "VipLevel",
]
