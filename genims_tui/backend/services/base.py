"""What every service shares: who acts, the clock, transactions, business keys and the audit trail.

A service function takes a `ServiceContext` (the databases, the acting user, a clock tests can
freeze) and typed input. It checks permission first (`ctx.require`), validates, writes in one
transaction per logical database (`ctx.transaction(db)`), appends an audit record (`ctx.audit`),
and returns a result. Rejections are `DomainError`s raised before anything is written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Connection, Table, func, select

from ..access import SYSTEM_USER, ActingUser, allocate_number, require, require_capability, write_audit
from ..databases import CONSOLE_DATABASE, Databases
from ..errors import DomainError


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass
class ServiceContext:
    dbs: Databases
    user: ActingUser = SYSTEM_USER
    clock: Callable[[], dt.datetime] = utc_now
    # Audit records gathered during a call, written once the business transaction has committed.
    _pending_audit: list[dict[str, Any]] = field(default_factory=list, repr=False)

    def now(self) -> dt.datetime:
        return self.clock()

    def today(self) -> dt.date:
        return self.clock().date()

    def as_user(self, user: ActingUser) -> ServiceContext:
        return ServiceContext(self.dbs, user, self.clock)

    # -- permission ----------------------------------------------------------------------------

    def require(self, database: str, level: str, action: str) -> None:
        require(self.user, database, level, action)

    def require_capability(self, capability: str, action: str) -> None:
        require_capability(self.user, capability, action)

    # -- transactions ----------------------------------------------------------------------------

    @contextmanager
    def transaction(self, database: str) -> Iterator[Connection]:
        """One transaction on one logical database; audit records queued inside it are written
        after it commits (and dropped if it rolls back)."""
        mark = len(self._pending_audit)
        try:
            with self.dbs.begin(database) as conn:
                yield conn
        except BaseException:
            del self._pending_audit[mark:]
            raise
        self.flush_audit()

    @contextmanager
    def read(self, database: str) -> Iterator[Connection]:
        with self.dbs.connect(database) as conn:
            yield conn

    # -- audit -----------------------------------------------------------------------------------

    def audit(
        self,
        action: str,
        database: str | None = None,
        entity_type: str | None = None,
        entity_id: Any = None,
        before: Any = None,
        after: Any = None,
        detail: str | None = None,
    ) -> None:
        """Queue an audit record; it is written when the surrounding transaction commits (or now,
        outside one)."""
        self._pending_audit.append(
            dict(action=action, database=database, entity_type=entity_type, entity_id=entity_id,
                 before=jsonable(before), after=jsonable(after), detail=detail)
        )

    def flush_audit(self) -> None:
        while self._pending_audit:
            record = self._pending_audit.pop(0)
            write_audit(self.dbs, self.user, when=self.now(), **record)

    # -- business keys ---------------------------------------------------------------------------

    def next_key(self, prefix: str, table: Table, column: str, database: str, width: int = 6) -> str:
        """The next `PREFIX-000123` key of `table.column`, never handed out twice (a counter in
        genims_console_db, started after the highest key already in the data)."""
        counter = f"{database}.{table.name}.{column}"
        with self.dbs.begin(CONSOLE_DATABASE) as console:
            from ..models.console import IdCounters

            exists = console.execute(select(IdCounters.next_value).where(IdCounters.counter_name == counter)).first()
            start_after = 0 if exists else self._highest(database, table, column, prefix)
            number = allocate_number(console, counter, start_after=start_after)
        return f"{prefix}-{number:0{width}d}"

    def _highest(self, database: str, table: Table, column: str, prefix: str) -> int:
        pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)$")
        with self.dbs.connect(database) as conn:
            col = table.c[column]
            top = conn.execute(select(func.max(col)).where(col.like(f"{prefix}-%"))).scalar()
            # Keys are zero-padded to one width, so the text maximum is the numeric one; a longer
            # key (past the padding) sorts wrongly, so check those too.
            longest = conn.execute(
                select(col).where(col.like(f"{prefix}-%")).order_by(func.length(col).desc(), col.desc()).limit(1)
            ).scalar()
        best = 0
        for key in (top, longest):
            m = pattern.match(key or "")
            if m:
                best = max(best, int(m.group(1)))
        return best


# -- input validation -------------------------------------------------------------------------------


def to_decimal(value: Any, field_name: str, *, minimum: Decimal | None = None, positive: bool = False,
               places: int = 4, maximum: Decimal | None = None) -> Decimal:
    """A Decimal from user input, or a DomainError naming the field and the rule."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise DomainError(f"{field_name} must be a number; {value!r} is not.") from None
    if not number.is_finite():
        raise DomainError(f"{field_name} must be a finite number.")
    if positive and number <= 0:
        raise DomainError(f"{field_name} must be more than 0 (got {number}).")
    if minimum is not None and number < minimum:
        raise DomainError(f"{field_name} must be at least {minimum} (got {number}).")
    if maximum is not None and number > maximum:
        raise DomainError(f"{field_name} must be at most {maximum} (got {number}).")
    if number.as_tuple().exponent < -places:
        raise DomainError(f"{field_name} has too many decimal places (at most {places}).")
    return number


def require_text(value: Any, field_name: str, max_length: int, *, required: bool = True) -> str | None:
    text = "" if value is None else str(value).strip()
    if not text:
        if required:
            raise DomainError(f"{field_name} is required.")
        return None
    if len(text) > max_length:
        raise DomainError(f"{field_name} is too long: at most {max_length} characters (got {len(text)}).")
    return text


def jsonable(value: Any) -> Any:
    """Audit payloads as plain JSON (Decimal and dates as text)."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (dt.datetime, dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    return str(value)
