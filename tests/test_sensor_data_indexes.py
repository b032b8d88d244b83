"""sensor_data's indexes: the few its readers need (each one slows the IoT ingest), usable by the
queries that rely on them; and the ingest's ordering and its transaction-local synchronous_commit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select, text

from genims_tui.backend.models.operations import SensorData
from genims_tui.backend.services.operations import ingest_sensor_readings

OPS = "genims_operations_db"
T0 = dt.datetime(2026, 6, 1, 8, 0)
SENSORS = 40
INSTANTS = 250  # 10,000 readings: enough for the planner to have a real choice


def _readings(instants: int = INSTANTS, start: dt.datetime = T0) -> list[dict]:
    """Time-ordered readings, every sensor at every instant (as the IoT gateway delivers them)."""
    return [{"sensor_id": f"SNS-{s:06d}", "machine_id": f"MCH-{s // 8:06d}", "line_id": "LIN-000001",
             "factory_id": "FAC-000001", "timestamp": start + dt.timedelta(seconds=10 * i),
             "measurement_value": Decimal(i * SENSORS + s).scaleb(-2), "status": "normal"}
            for i in range(instants) for s in range(SENSORS)]


def test_the_model_declares_only_the_indexes_readers_use():
    indexes = {i.name: i for i in SensorData.__table__.indexes}
    assert set(indexes) == {"ix_sensor_data_sensor_id_timestamp", "ix_sensor_data_timestamp"}
    assert [c.name for c in indexes["ix_sensor_data_sensor_id_timestamp"].columns] == ["sensor_id", "timestamp"]
    assert [c.name for c in indexes["ix_sensor_data_timestamp"].columns] == ["timestamp"]


def test_postgresql_builds_exactly_the_key_a_per_sensor_and_a_time_index(pg_dbs):
    pg_dbs.create([OPS])
    with pg_dbs.connect(OPS) as conn:
        found = dict(conn.execute(text(
            "SELECT c.relname, am.amname FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid "
            "JOIN pg_am am ON am.oid = c.relam WHERE x.indrelid = 'sensor_data'::regclass")).all())
    assert found == {"pk_sensor_data": "btree", "ix_sensor_data_sensor_id_timestamp": "btree",
                     "ix_sensor_data_timestamp": "btree"}, found


def test_sqlite_builds_btrees_on_sensor_and_time(sqlite_dbs):
    sqlite_dbs.create([OPS])
    with sqlite_dbs.connect(OPS) as conn:
        names = {r[0] for r in conn.execute(text(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'sensor_data' AND sql IS NOT NULL"))}
    assert names == {"ix_sensor_data_sensor_id_timestamp", "ix_sensor_data_timestamp"}


def _plan(conn, statement) -> str:
    compiled = statement.compile(conn, compile_kwargs={"literal_binds": True})
    return "\n".join(r[0] for r in conn.execute(text(f"EXPLAIN {compiled}")))


def test_the_readers_queries_can_use_the_indexes_on_postgresql(pg_dbs):
    pg_dbs.create([OPS])
    ingest_sensor_readings(pg_dbs, _readings())
    sd = SensorData
    with pg_dbs.engine(OPS).execution_options(isolation_level="AUTOCOMMIT").connect() as conn:
        conn.execute(text("ANALYZE sensor_data"))
    now = T0 + dt.timedelta(seconds=10 * (INSTANTS - 1))
    with pg_dbs.connect(OPS) as conn, conn.begin() as transaction:
        conn.execute(text("SET LOCAL enable_seqscan TO off"))  # a plan without the index means it cannot serve
        # the plant views: a sensor's latest reading and its history (backend/plant.py)
        latest = _plan(conn, select(sd.timestamp, sd.measurement_value).where(sd.sensor_id == "SNS-000007",
                                                                              sd.timestamp <= now)
                       .order_by(sd.timestamp.desc(), sd.sensor_data_id.desc()).limit(1))
        assert "ix_sensor_data_sensor_id_timestamp" in latest, latest
        # the IoT simulator's "already stored at this instant" check (simulators/plant.py), the time index
        instant = _plan(conn, select(sd.sensor_data_id).where(sd.timestamp == now).limit(1))
        assert "ix_sensor_data_timestamp" in instant, instant
        # the data browser pages by the key
        page = _plan(conn, select(sd).where(sd.sensor_data_id > 5000).order_by(sd.sensor_data_id).limit(50))
        assert "pk_sensor_data" in page, page
        transaction.rollback()


def test_ingest_stores_each_sensors_readings_together_in_their_given_order(any_dbs):
    any_dbs.create([OPS])
    given = _readings(instants=5)
    assert ingest_sensor_readings(any_dbs, given) == len(given)
    sd = SensorData
    with any_dbs.connect(OPS) as conn:
        stored = conn.execute(select(sd.sensor_id, sd.timestamp, sd.measurement_value)
                              .order_by(sd.sensor_data_id)).all()
    # keys run sensor by sensor, and within a sensor in the order the readings came
    expected = sorted(((r["sensor_id"], r["timestamp"], r["measurement_value"]) for r in given),
                      key=lambda r: r[0])
    assert [tuple(r) for r in stored] == expected
    # the same instant for one sensor twice: the later in the call keeps the higher key (plant.py's tie-break)
    again = T0 + dt.timedelta(hours=1, microseconds=123_456)  # timestamps keep their microseconds
    ingest_sensor_readings(any_dbs, [
        {"sensor_id": "SNS-000002", "timestamp": again, "measurement_value": Decimal("1.00")},
        {"sensor_id": "SNS-000001", "timestamp": again, "measurement_value": Decimal("9.00")},
        {"sensor_id": "SNS-000002", "timestamp": again, "measurement_value": Decimal("2.00"),
         "created_at": again + dt.timedelta(microseconds=1)}])
    with any_dbs.connect(OPS) as conn:
        latest = conn.execute(select(sd.measurement_value).where(sd.sensor_id == "SNS-000002", sd.timestamp == again)
                              .order_by(sd.sensor_data_id.desc()).limit(1)).scalar_one()
    assert latest == Decimal("2.00")
    with any_dbs.connect(OPS) as conn:
        assert conn.execute(select(sd.created_at).where(sd.created_at.is_not(None), sd.timestamp == again)
                            ).scalar_one() == again + dt.timedelta(microseconds=1)


def test_asynchronous_commit_stays_inside_the_ingest_transaction(pg_dbs):
    pg_dbs.create([OPS])
    with pg_dbs.connect(OPS) as conn:
        default = conn.execute(text("SHOW synchronous_commit")).scalar_one()
    for _ in range(3):  # the pool hands the ingest's connection back: it must come back as it went
        ingest_sensor_readings(pg_dbs, _readings(instants=2))
        with pg_dbs.connect(OPS) as conn:
            assert conn.execute(text("SHOW synchronous_commit")).scalar_one() == default
