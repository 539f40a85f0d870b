"""FastAPI app and the offline web map (``corridor serve``).

Import :func:`create_app` from here; FastAPI is imported only when this package is.
"""

from corridor.service.app import create_app
from corridor.service.settings import ServiceSettings

__all__ = ["ServiceSettings", "create_app"]
