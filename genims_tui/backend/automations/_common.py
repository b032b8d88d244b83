"""Intervals shared by the automation modules (seed 002)."""

from __future__ import annotations

CYCLE = 300  # every daemon cycle: 5 minutes
ACCOUNT_BALANCES = 10 * CYCLE  # every 10 cycles (50 min)
RECONCILIATION = 20 * CYCLE  # every 20 cycles (100 min)
CMMS = 1800  # the CMMS planning rules: every 30 minutes
