"""The quality services in one place (QMS): NCR workflow, CAPA, complaints and 8D, SPC,
calibration and MES inspections, supplier quality. Each area lives in its own module; this one
re-exports their service functions for callers that want the whole area.
"""

from __future__ import annotations

from .calibration import calibration_state, check_calibration_due, list_equipment, record_calibration, record_inspection
from .capa import (
    add_capa_action,
    close_capa,
    close_ncrs_from_verified_capas,
    complete_capa_action,
    create_capa,
    escalate_overdue_capas,
    get_capa,
    set_capa_cost,
    verify_capa_effectiveness,
)
from .complaints import create_complaint, create_eight_d, link_complaint, record_eight_d_step, update_complaint
from .ncr import (
    DISPOSITIONS,
    ROOT_CAUSE_METHODS,
    STATES,
    TRANSITIONS,
    allowed_next,
    create_ncr,
    create_ncr_from_inspection,
    get_ncr,
    integrate_failed_inspections,
    list_ncrs,
    record_ncr_costs,
    transition_ncr,
)
from .spc import monitor_charts, recompute_chart
from .supplier_quality import calculate_supplier_performance

__all__ = [
    "DISPOSITIONS", "ROOT_CAUSE_METHODS", "STATES", "TRANSITIONS", "add_capa_action", "allowed_next",
    "calculate_supplier_performance", "calibration_state", "check_calibration_due", "close_capa",
    "close_ncrs_from_verified_capas", "complete_capa_action", "create_capa", "create_complaint", "create_eight_d",
    "create_ncr", "create_ncr_from_inspection", "escalate_overdue_capas", "get_capa", "get_ncr",
    "integrate_failed_inspections", "link_complaint", "list_equipment", "list_ncrs", "monitor_charts", "recompute_chart",
    "record_calibration", "record_eight_d_step", "record_inspection", "record_ncr_costs", "set_capa_cost",
    "transition_ncr", "update_complaint", "verify_capa_effectiveness",
]
