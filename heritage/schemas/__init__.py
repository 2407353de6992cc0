"""marshmallow schemas: `load` validates input, whichever door it came through."""

from heritage.schemas.collection_object import CollectionObjectInput
from heritage.schemas.gravestone import GravestoneInput
from heritage.schemas.restoration import RestorationInput
from heritage.schemas.site import SiteInput

__all__ = ["CollectionObjectInput", "GravestoneInput", "RestorationInput", "SiteInput"]
