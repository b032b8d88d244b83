"""Role x action: every NCR, CAPA, calibration, SPC and inspection action is allowed exactly for
the roles whose database access and capabilities give it (users logged in through AccessStore),
refused with PermissionDenied for every other role, and a refusal changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import update

from genims_tui.backend.access import FIRST_RUN_PASSWORD_DEFAULT, LEVELS, ROLE_BY_ID, ROLES, AccessStore
from genims_tui.backend.errors import PermissionDenied
from genims_tui.backend.models.quality import CapaHeaders
from genims_tui.backend.services import calibration, capa, ncr, spc
from genims_tui.backend.services.base import ServiceContext

from . import quality_data as qd
from .quality_data import estate  # noqa: F401 -- the module-scoped estate fixture (SQLite and PostgreSQL)

W, R = "write", "read"


def gives(role_id: str, levels: dict[str, str], caps: tuple[str, ...] = ()) -> bool:
    spec = ROLE_BY_ID[role_id]
    level_ok = all(LEVELS.get(spec.permissions.get(db, ""), 0) >= LEVELS[lvl] for db, lvl in levels.items())
    return level_ok and all("*" in spec.capabilities or c in spec.capabilities for c in caps)


def _capa_ready(dbs, key):
    qd.capa(dbs, key, None, status="verification", done_actions=1)
    return key


def _capa_to_close(dbs, key):
    nid = qd.ncr(dbs, f"NCR-{key}", "verification")
    with dbs.begin(qd.QMS) as conn:
        conn.execute(update(CapaHeaders.__table__).where(CapaHeaders.source_document_id == nid)
                     .values(effectiveness_verified=True, verification_completed=True))
    return f"CAPA-{key}"


# action -> (arrange(dbs, key) -> arg, act(ctx, arg), who may)
ACTIONS = {
    "ncr.create": (lambda d, k: None,
                   lambda c, a: ncr.create_ncr(c, defect_description="Dent", quantity_defective="1"),
                   lambda r: gives(r, {qd.QMS: W})),
    "ncr.containment": (lambda d, k: qd.ncr(d, f"NCR-{k}", "open"),
                        lambda c, a: ncr.transition_ncr(c, a, "containment", {"containment_action": "Hold stock"}),
                        lambda r: gives(r, {qd.QMS: W})),
    "ncr.disposition": (lambda d, k: qd.ncr(d, f"NCR-{k}", "disposition"),
                        lambda c, a: ncr.transition_ncr(c, a, "capa", {"disposition": "scrap", "disposition_quantity": "1"}),
                        lambda r: gives(r, {qd.QMS: W}, ("ncr.disposition",))),
    "ncr.close": (lambda d, k: qd.ncr(d, f"NCR-{k}", "verification"),
                  lambda c, a: ncr.transition_ncr(c, a, "closed", {"verified_effective": "true"}),
                  lambda r: gives(r, {qd.QMS: W}, ("ncr.close",))),
    "ncr.cancel": (lambda d, k: qd.ncr(d, f"NCR-{k}", "investigation"),
                   lambda c, a: ncr.transition_ncr(c, a, "cancelled", {"reason": "Duplicate"}),
                   lambda r: gives(r, {qd.QMS: W}, ("ncr.close",))),
    "ncr.list": (lambda d, k: None, lambda c, a: ncr.list_ncrs(c, limit=5), lambda r: gives(r, {qd.QMS: R})),
    "ncr.from_inspection": (lambda d, k: qd.inspection(d, f"QI-{k}"),
                            lambda c, a: ncr.create_ncr_from_inspection(c, a),
                            lambda r: gives(r, {qd.QMS: W})),
    "capa.add_action": (lambda d, k: qd.capa(d, f"CAPA-{k}", None),
                        lambda c, a: capa.add_capa_action(c, a, description="Retrain", assigned_to="EMP-1",
                                                          due_date=qd.TODAY.isoformat()),
                        lambda r: gives(r, {qd.QMS: W})),
    "capa.verify": (lambda d, k: _capa_ready(d, f"CAPA-V{k}"),
                    lambda c, a: capa.verify_capa_effectiveness(c, a, True, "No recurrence"),
                    lambda r: gives(r, {qd.QMS: W}, ("capa.verify",))),
    "capa.close": (lambda d, k: _capa_to_close(d, f"C{k}"),
                   lambda c, a: capa.close_capa(c, a),
                   lambda r: gives(r, {qd.QMS: W}, ("capa.verify", "ncr.close"))),
    "calibration.check_due": (lambda d, k: qd.equipment(d, f"MEQ-{k}", -4),
                              lambda c, a: calibration.check_calibration_due(c),
                              lambda r: gives(r, {qd.QMS: W})),
    "calibration.record": (lambda d, k: qd.equipment(d, f"MEQ-{k}", 50),
                           lambda c, a: calibration.record_calibration(c, a, result="pass"),
                           lambda r: gives(r, {qd.QMS: W})),
    "calibration.unlock": (lambda d, k: qd.equipment(d, f"MEQ-{k}", -2, locked=True),
                           lambda c, a: calibration.record_calibration(c, a, result="pass"),
                           lambda r: gives(r, {qd.QMS: W}, ("calibration.unlock",))),
    "spc.recompute": (lambda d, k: qd.chart(d, f"SPC-{k}", [1.0, 1.2, 0.9, 1.1]),
                      lambda c, a: spc.recompute_chart(c, a),
                      lambda r: gives(r, {qd.QMS: W})),
    "inspection.record": (lambda d, k: qd.equipment(d, f"MEQ-{k}", 90),
                          lambda c, a: calibration.record_inspection(c, equipment_id=a, measured_values={"d": 1.0},
                                                                     inspection_result="pass"),
                          lambda r: gives(r, {qd.MFG: W}) or gives(r, {qd.QMS: W})),
}


@pytest.fixture(scope="module")
def users(estate):
    store = AccessStore(estate)
    store.ensure_seed_users(FIRST_RUN_PASSWORD_DEFAULT)
    by_email = {u["email"]: u["user_id"] for u in store.list_users()}
    return {r.role_id: store.acting_user(by_email[r.email]) for r in ROLES}


def test_the_matrix_is_not_trivial():
    for name, (_, _, who) in ACTIONS.items():
        allowed = {r.role_id for r in ROLES if who(r.role_id)}
        assert "admin" in allowed and "driver" not in allowed and len(allowed) < len(ROLES), name
    assert {r.role_id for r in ROLES if ACTIONS["ncr.disposition"][2](r.role_id)} == {"admin", "quality_manager"}
    assert "quality_inspector" in {r.role_id for r in ROLES if ACTIONS["ncr.containment"][2](r.role_id)}
    assert "shopfloor_operator" in {r.role_id for r in ROLES if ACTIONS["inspection.record"][2](r.role_id)}


@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_role_x_action(estate, users, action):
    arrange, act, who = ACTIONS[action]
    n = sorted(ACTIONS).index(action)
    refused_roles = [r.role_id for r in ROLES if not who(r.role_id)]
    allowed_roles = [r.role_id for r in ROLES if who(r.role_id)]
    # refusals: one object for all of them, since a refusal changes nothing
    arg = arrange(estate, f"9{n:02d}99")
    before = qd.snapshot(estate)
    for role in refused_roles:
        with pytest.raises(PermissionDenied):
            act(ServiceContext(estate, users[role], clock=lambda: qd.NOW), arg)
    assert qd.snapshot(estate) == before
    # every allowed role succeeds on an object of its own
    for i, role in enumerate(allowed_roles):
        arg = arrange(estate, f"9{n:02d}{i:02d}")
        act(ServiceContext(estate, users[role], clock=lambda: qd.NOW), arg)
