"""Unbound extension objects, bound to an app by ``create_app``."""
from flask_babel import Babel
from flask_limiter import Limiter
from flask_migrate import Migrate
from flask_socketio import SocketIO
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    # Named constraints let later Alembic migrations alter them, SQLite included.
    metadata = MetaData(naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    })


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
babel = Babel()
csrf = CSRFProtect()
# gevent is named explicitly: Flask-SocketIO would otherwise pick whatever it finds first.
socketio = SocketIO(async_mode="gevent")


def make_limiter(app, key_func):
    """Flask-Limiter, one per app (its registry of limits is per instance, and tests build many
    apps). Redis when the deployment has one, so every process counts against the same limit."""
    url = app.config.get("RATE_LIMIT_REDIS")
    if url is None:
        queue = app.config.get("SOCKETIO_MESSAGE_QUEUE") or ""
        url = queue if queue.startswith(("redis://", "rediss://")) else None
    app.config.setdefault("RATELIMIT_STORAGE_URI", url or "memory://")
    app.config.setdefault("RATELIMIT_ENABLED", app.config["RATE_LIMIT_ENABLED"])
    app.config.setdefault("RATELIMIT_HEADERS_ENABLED", True)
    # A counter that cannot be reached lets requests through rather than refusing everyone.
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    app.config.setdefault("RATELIMIT_KEY_PREFIX", f"httplimit:{app.config['SOCKETIO_CHANNEL']}")
    return Limiter(key_func, app=app, default_limits=[app.config["RATE_LIMIT_HTTP"]])
