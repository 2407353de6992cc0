"""SQLAlchemy models, one module per entity."""

from heritage.models.api_token import ApiToken
from heritage.models.audit import AuditEvent
from heritage.models.base import Base, utcnow
from heritage.models.collection_object import CollectionObject
from heritage.models.fixity import FixityRun
from heritage.models.gravestone import Gravestone
from heritage.models.harvest import HarvestRecord
from heritage.models.import_run import ImportRun, ImportRunEntry
from heritage.models.outbox import IndexOutbox
from heritage.models.photo import Photo
from heritage.models.public_count import PublicCount
from heritage.models.public_revision import PublicRevision
from heritage.models.restoration import RestorationRecord
from heritage.models.revision import PendingRevision
from heritage.models.sign_in import SignInAttempt
from heritage.models.site import Site
from heritage.models.survey import ConditionSurvey
from heritage.models.user import User

__all__ = [
    "ApiToken",
    "AuditEvent",
    "Base",
    "CollectionObject",
    "ConditionSurvey",
    "FixityRun",
    "Gravestone",
    "HarvestRecord",
    "ImportRun",
    "ImportRunEntry",
    "IndexOutbox",
    "PendingRevision",
    "Photo",
    "PublicCount",
    "PublicRevision",
    "RestorationRecord",
    "SignInAttempt",
    "Site",
    "User",
    "utcnow",
]
