"""The service layer: the only code that writes business data (screens, CLI and automations call it).

One module per business area; every function takes a `ServiceContext` (see base.py).
"""

from .base import ServiceContext, utc_now

__all__ = ["ServiceContext", "utc_now"]
