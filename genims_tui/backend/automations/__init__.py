"""The automations: seed 002's daemon rules as scheduler jobs, each a thin wrapper around the service
that implements the rule (acting as the system user), returning counts of what it changed.

Importing this package registers every job with `genims_tui.backend.scheduler`.

    erp_cycle        erp_daily_cycle (seed 000's daily ERP operations)
    financial_sync   gl_posting, inventory_sync, inventory_reconcile, account_balances, sync_metrics
    supplier_portal  invoice_match, rfq_deadlines, supplier_performance, document_expiry, contract_status
    qms              calibration_check, capa_escalation, spc_monitoring, mes_inspections_to_ncr
    cmms             pm_generation, corrective_work_orders, technician_assignment
    service_crm      service_sla, crm_case_sla, quote_expiry
"""

from __future__ import annotations

# the daily ERP cycle first: a run of every job once (`run-daemons --once`) then syncs and posts what it moved
from . import erp_cycle, financial_sync, supplier_portal, qms, cmms, service_crm, health, housekeeping  # noqa: F401, I001  (each registers its jobs; seed 002 order)

