"""Helpers shared by the business generators (crm, service, quality, supplier, financial).

Also the few identifiers two of those generators must agree on (the financial chart of accounts,
which supplier invoice lines reference before financial runs).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import random
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from ..backend.services.finance import HEADER_CODES, STANDARD_CHART, account_id_for

D0 = Decimal("0.00")
CENT = Decimal("0.01")

# --------------------------------------------------------------------------------------------
# Financial chart of accounts: (code, name, type, subtype, statement, normal balance, parent code)
# account_id = "GLA-<code>"; supplier invoice lines reference these before financial runs. The chart is
# the finance service's own, so installing the service's chart over a seeded estate adds nothing.
# --------------------------------------------------------------------------------------------

CHART = STANDARD_CHART

account_id = account_id_for


# --------------------------------------------------------------------------------------------
# values
# --------------------------------------------------------------------------------------------


def money(value: Any) -> Decimal:
    return Decimal(str(value)).quantize(CENT, rounding=ROUND_HALF_UP)


def q(value: Any, places: int = 4) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def at(day: dt.date, rng: random.Random, start_hour: int = 8, end_hour: int = 17) -> dt.datetime:
    """A working-hours moment on `day`."""
    return dt.datetime.combine(day, dt.time(0)) + dt.timedelta(
        seconds=rng.randint(start_hour * 3600, end_hour * 3600 - 1)
    )


def between(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    if end <= start:
        return start
    span = int((end - start).total_seconds())
    return start + dt.timedelta(seconds=rng.randint(0, span))


def clamp(value: dt.datetime, limit: dt.datetime) -> dt.datetime:
    return value if value <= limit else limit


def as_dt(value: Any) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime.combine(value, dt.time(9))
    return None


def as_date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return None


def dec(value: Any, default: str = "0") -> Decimal:
    if value is None:
        return Decimal(default)
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def by_role(employees: Iterable[dict], *roles: str) -> list[dict]:
    wanted = set(roles)
    return [e for e in employees if e.get("role") in wanted]


def ids_or(rows: list[dict], column: str, fallback: list) -> list:
    out = [r[column] for r in rows]
    return out if out else list(fallback)


# --------------------------------------------------------------------------------------------
# password hashes: real scrypt of a random password
# --------------------------------------------------------------------------------------------

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


def _scrypt(args: tuple[bytes, bytes]) -> str:
    password, salt = args
    digest = hashlib.scrypt(password, salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    b64 = base64.b64encode
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${b64(salt).decode()}${b64(digest).decode()}"


def scrypt_hashes(rng: random.Random, count: int) -> list[tuple[str, str]]:
    """`count` (hash, salt_b64) pairs of random passwords nobody keeps (deterministic per rng)."""
    jobs = []
    for _ in range(count):
        password = "".join(rng.choice("abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789!#%") for _ in range(18))
        salt = rng.getrandbits(128).to_bytes(16, "big")
        jobs.append((password.encode(), salt))
    with ThreadPoolExecutor(max_workers=4) as ex:
        hashes = list(ex.map(_scrypt, jobs))
    return [(h, base64.b64encode(salt).decode()) for h, (_, salt) in zip(hashes, jobs, strict=True)]


def token(rng: random.Random, nbytes: int = 16) -> str:
    return rng.getrandbits(nbytes * 8).to_bytes(nbytes, "big").hex()
