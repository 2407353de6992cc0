"""Flask extensions, created unbound here and bound to an app in `create_app`."""

from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy

from heritage.models.base import Base

db = SQLAlchemy(model_class=Base)
migrate = Migrate()
