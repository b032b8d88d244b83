"""genims_operations_db writes for live telemetry: sensor readings (bulk ingest), SCADA machine data,
and machine faults raised from critical sensor readings or closed when their episode is over.

Sensor readings arrive in volume (every active sensor every 10 s), so `ingest_sensor_readings`
bypasses the ORM: PostgreSQL COPY through psycopg 3, SQLite executemany, one transaction per call.
Everything else goes through Core inserts with the usual permission check and audit record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from operator import itemgetter
from typing import Any

from psycopg.adapt import Dumper
from sqlalchemy import func, insert, or_, select, update

from ..databases import Databases
from ..errors import DomainError
from ..models.operations import MachineFaults, ScadaMachineData, SensorData
from .base import ServiceContext

OPS = "genims_operations_db"

# Every sensor_data column but the BIGSERIAL key, in the order `ingest_sensor_readings` takes tuples.
SENSOR_READING_COLUMNS: tuple[str, ...] = tuple(c.name for c in SensorData.__table__.columns if c.name != "sensor_data_id")
REQUIRED_READING_FIELDS = ("sensor_id", "timestamp", "measurement_value")
OPEN_FAULT_STATES = ("open", "acknowledged", "in_progress")
FAULT_SEVERITIES = ("critical", "major", "minor")


def _as_dbs(ctx_or_dbs: ServiceContext | Databases) -> tuple[Databases, ServiceContext | None]:
    if isinstance(ctx_or_dbs, ServiceContext):
        return ctx_or_dbs.dbs, ctx_or_dbs
    return ctx_or_dbs, None


def _reading_tuples(rows: Iterable[Mapping[str, Any] | Sequence[Any]]) -> list[tuple]:
    """Rows as tuples in SENSOR_READING_COLUMNS order; a mapping may leave optional columns out."""
    width = len(SENSOR_READING_COLUMNS)
    required = [SENSOR_READING_COLUMNS.index(c) for c in REQUIRED_READING_FIELDS]
    out: list[tuple] = []
    for n, row in enumerate(rows, 1):
        if isinstance(row, Mapping):
            unknown = set(row) - set(SENSOR_READING_COLUMNS)
            if unknown:
                raise DomainError(f"Reading {n} has unknown column(s) {', '.join(sorted(unknown))}.",
                                  f"sensor_data columns: {', '.join(SENSOR_READING_COLUMNS)}.")
            values = tuple(row.get(c) for c in SENSOR_READING_COLUMNS)
        else:
            values = tuple(row)
            if len(values) != width:
                raise DomainError(f"Reading {n} has {len(values)} values; a reading has {width} "
                                  f"({', '.join(SENSOR_READING_COLUMNS)}).")
        for i in required:
            if values[i] is None:
                raise DomainError(f"Reading {n} has no {SENSOR_READING_COLUMNS[i]}.")
        out.append(values)
    return out


def _sqlite_value(v: Any) -> Any:
    # The storage format SQLAlchemy's SQLite dialect reads back (see seeds/loader.py).
    if isinstance(v, dt.datetime):
        return v.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(v, Decimal):
        return str(v)
    return v


_SENSOR_ID = SENSOR_READING_COLUMNS.index("sensor_id")


def _grouped_by_sensor(values: list[tuple]) -> list[tuple]:
    """The readings with each sensor's rows together, in their given order (a stable sort on sensor_id).

    The (sensor_id, timestamp) index then takes its insertions in key order, page after page, instead
    of one jump across the whole index per reading: on PostgreSQL this cuts the server's share of an
    ingest by about a third. Sensor ids of mixed types (not comparable) are stored as given."""
    try:
        return sorted(values, key=itemgetter(_SENSOR_ID))
    except TypeError:
        return values


class _RepeatedTimestampDumper(Dumper):
    """Timestamps as COPY text, each distinct one encoded once per ingest: readings come many to an
    instant (every sensor at once), and psycopg's own datetime dumper was a third of the client's time."""

    def __init__(self, cls: type, context: Any = None) -> None:
        super().__init__(cls, context)
        self._encoded: dict[dt.datetime, bytes] = {}  # one COPY's worth, dropped with it

    def dump(self, obj: dt.datetime) -> bytes:
        encoded = self._encoded.get(obj)
        if encoded is None:
            encoded = self._encoded[obj] = obj.isoformat().encode()
        return encoded


def ingest_sensor_readings(ctx_or_dbs: ServiceContext | Databases,
                           rows: Iterable[Mapping[str, Any] | Sequence[Any]]) -> int:
    """Store sensor readings in genims_operations_db.sensor_data in one transaction; returns how many.

    Rows are mappings by column name or tuples in SENSOR_READING_COLUMNS order; the key
    (sensor_data_id) is assigned by the database, sensor by sensor (each sensor's readings in the order
    given). PostgreSQL: COPY; SQLite: executemany.
    Nothing is stored if any row is malformed. Telemetry leaves no audit record per call (every 10 s
    for every sensor would drown the trail); the simulator's job run record counts what was stored."""
    dbs, ctx = _as_dbs(ctx_or_dbs)
    if ctx is not None:
        ctx.require(OPS, "write", "Ingesting sensor readings")
    values = _reading_tuples(rows)
    if not values:
        return 0
    values = _grouped_by_sensor(values)
    cols = ", ".join(f'"{c}"' for c in SENSOR_READING_COLUMNS)
    with dbs.begin(OPS) as conn:
        if dbs.target(OPS).backend == "postgresql":
            driver = conn.connection.driver_connection  # psycopg.Connection, inside this transaction
            with driver.cursor() as cur:
                # Telemetry only, this transaction only: the commit does not wait for the WAL flush. A crash
                # may lose the last few hundred milliseconds of committed readings (the next readings come
                # 10 s later anyway), never consistency: the database stays intact either way.
                cur.execute("SET LOCAL synchronous_commit TO off")
                cur.adapters.register_dumper(dt.datetime, _RepeatedTimestampDumper)  # this cursor only
                with cur.copy(f"COPY sensor_data ({cols}) FROM STDIN") as copy:
                    write = copy.write_row
                    for v in values:
                        write(v)
        else:
            sql = f'INSERT INTO sensor_data ({cols}) VALUES ({", ".join("?" * len(SENSOR_READING_COLUMNS))})'
            cursor = conn.connection.driver_connection.cursor()
            try:
                cursor.executemany(sql, [tuple(map(_sqlite_value, v)) for v in values])
            finally:
                cursor.close()
    return len(values)


# -- SCADA ------------------------------------------------------------------------------------------


def record_scada_rows(ctx: ServiceContext, rows: list[dict[str, Any]]) -> int:
    """Insert SCADA machine data rows (one transaction); returns how many."""
    ctx.require(OPS, "write", "Recording SCADA machine data")
    if not rows:
        return 0
    known = set(ScadaMachineData.__table__.c.keys()) - {"scada_id"}
    for n, r in enumerate(rows, 1):
        unknown = set(r) - known
        if unknown:
            raise DomainError(f"SCADA row {n} has unknown column(s) {', '.join(sorted(unknown))}.")
        if not r.get("machine_id") or r.get("timestamp") is None:
            raise DomainError(f"SCADA row {n} needs a machine_id and a timestamp.")
    with ctx.transaction(OPS) as conn:
        conn.execute(insert(ScadaMachineData), rows)
    return len(rows)


# -- machine faults -----------------------------------------------------------------------------------


def open_faults_by_machine(ctx: ServiceContext, machine_ids: Iterable[str] | None = None) -> dict[str, Any]:
    """The newest unresolved fault per machine (fault_end_time empty, status not resolved/closed)."""
    q = select(MachineFaults).where(
        MachineFaults.fault_end_time.is_(None),
        or_(MachineFaults.status.is_(None), func.lower(MachineFaults.status).not_in(("resolved", "closed"))),
    ).order_by(MachineFaults.fault_start_time, MachineFaults.fault_id)
    if machine_ids is not None:
        ids = list(machine_ids)
        if not ids:
            return {}
        q = q.where(MachineFaults.machine_id.in_(ids))
    out: dict[str, Any] = {}
    with ctx.read(OPS) as conn:
        for f in conn.execute(q):
            out[f.machine_id] = f
    return out


def raise_machine_fault(ctx: ServiceContext, *, machine_id: str, line_id: str | None, factory_id: str | None,
                        fault_code: str, fault_category: str, fault_severity: str, description: str,
                        start: dt.datetime, contributing_sensors: Iterable[str] = (),
                        detection_method: str = "threshold_alarm") -> dict[str, Any]:
    """Open a machine fault, unless the machine has an open one already (one open fault per machine:
    a second critical reading during the same episode is the same fault). Returns the fault and
    whether it was created."""
    ctx.require(OPS, "write", "Raising a machine fault")
    severity = (fault_severity or "").strip().lower()
    if severity not in FAULT_SEVERITIES:
        raise DomainError(f"Unknown fault severity {fault_severity!r}.", f"Use one of {', '.join(FAULT_SEVERITIES)}.")
    if not machine_id:
        raise DomainError("A machine fault needs a machine.")
    now = ctx.now()
    with ctx.transaction(OPS) as conn:
        existing = conn.execute(select(MachineFaults.fault_id).where(
            MachineFaults.machine_id == machine_id, MachineFaults.fault_end_time.is_(None),
            or_(MachineFaults.status.is_(None), func.lower(MachineFaults.status).not_in(("resolved", "closed"))),
        ).order_by(MachineFaults.fault_id.desc()).limit(1)).scalar()
        if existing is not None:
            return {"fault_id": existing, "machine_id": machine_id, "created": False}
        fault_id = conn.execute(insert(MachineFaults).values(
            machine_id=machine_id, line_id=line_id, factory_id=factory_id, fault_code=fault_code[:50],
            fault_category=fault_category[:50], fault_severity=severity, fault_description=description,
            fault_start_time=start, contributing_sensors=",".join(contributing_sensors)[:500] or None,
            detection_method=detection_method[:50], predicted_in_advance=False, advance_warning_hours=Decimal("0.00"),
            status="open", created_at=now, updated_at=now,
        ).returning(MachineFaults.fault_id)).scalar_one()
        ctx.audit("operations.fault.raise", OPS, "machine_fault", fault_id,
                  after={"machine_id": machine_id, "fault_code": fault_code, "severity": severity})
    return {"fault_id": fault_id, "machine_id": machine_id, "created": True}


def resolve_machine_fault(ctx: ServiceContext, fault_id: int, *, end: dt.datetime, resolution: str | None = None,
                          root_cause_category: str | None = None, production_rate_per_hour: int | None = None) -> bool:
    """Close an open fault at `end` (duration, downtime and loss filled in); False if it was closed already."""
    ctx.require(OPS, "write", "Resolving a machine fault")
    now = ctx.now()
    with ctx.transaction(OPS) as conn:
        f = conn.execute(select(MachineFaults).where(MachineFaults.fault_id == fault_id)).first()
        if f is None:
            raise DomainError(f"There is no machine fault {fault_id}.")
        if f.fault_end_time is not None or (f.status or "").lower() in ("resolved", "closed"):
            return False
        start = f.fault_start_time or end
        if end < start:
            raise DomainError(f"Fault {fault_id} cannot end ({end}) before it started ({start}).")
        secs = int((end - start).total_seconds())
        loss = int((production_rate_per_hour or 60) * secs / 3600)
        conn.execute(update(MachineFaults).where(MachineFaults.fault_id == fault_id).values(
            fault_end_time=end, fault_duration_seconds=secs, downtime_minutes=secs // 60, production_loss_units=loss,
            resolution_action=resolution, root_cause_category=root_cause_category, status="resolved", updated_at=now))
        ctx.audit("operations.fault.resolve", OPS, "machine_fault", fault_id,
                  before={"status": f.status}, after={"status": "resolved", "fault_end_time": end})
    return True
