"""HR time and absence (genims_hr_db): attendance records (one per employee and day) and leave requests.

Each call checks permission and its references, writes one transaction and leaves an audit record.
Attendance is keyed by (employee, date): recording a day twice returns the first record. A leave
request is refused when it overlaps one of the employee's pending or approved requests.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, or_, select

from ..errors import DomainError, NotFound
from ..models.hr import AttendanceRecords, Employees, LeaveRequests, LeaveTypes, ShiftSchedules
from .base import ServiceContext, require_text

HR = "genims_hr_db"
ACTIVE_LEAVE = ("pending", "approved")
TWO = Decimal("0.01")


def _employee(conn, employee_id: str):
    emp = conn.execute(select(Employees.employee_id, Employees.employment_status, Employees.work_location)
                       .where(Employees.employee_id == employee_id)).first()
    if emp is None:
        raise NotFound(f"There is no employee {employee_id}.")
    if (emp.employment_status or "active").lower() == "terminated":
        raise DomainError(f"Employee {employee_id} has left the company.")
    return emp


def record_attendance(ctx: ServiceContext, employee_id: str, day: dt.date, *, shift_id: str,
                      clock_in: dt.datetime, clock_out: dt.datetime | None, scheduled_hours: Decimal = Decimal("7.5"),
                      location: str | None = None) -> dict[str, Any]:
    """A day's attendance: hours from the clock times, late minutes against the shift start, overtime
    past the scheduled hours. Returns the record id and whether it was created."""
    ctx.require(HR, "write", "Recording attendance")
    if clock_out is not None and clock_out <= clock_in:
        raise DomainError(f"Clock-out {clock_out} is not after clock-in {clock_in}.")
    with ctx.read(HR) as conn:
        done = conn.execute(select(AttendanceRecords.attendance_id).where(
            AttendanceRecords.employee_id == employee_id, AttendanceRecords.attendance_date == day)).scalar()
    if done is not None:
        return {"attendance_id": done, "created": False}
    attendance_id = ctx.next_key("ATT", AttendanceRecords.__table__, "attendance_id", HR, width=7)
    now = ctx.now()
    with ctx.transaction(HR) as conn:
        emp = _employee(conn, employee_id)
        shift = conn.execute(select(ShiftSchedules).where(ShiftSchedules.shift_id == shift_id)).first()
        if shift is None:
            raise NotFound(f"There is no shift {shift_id}.")
        if conn.execute(select(AttendanceRecords.attendance_id).where(
                AttendanceRecords.employee_id == employee_id, AttendanceRecords.attendance_date == day)).first():
            raise DomainError(f"Attendance of {employee_id} on {day} was recorded meanwhile.")
        start = dt.datetime.combine(clock_in.date(), shift.start_time) if shift.start_time else clock_in
        late = max(0, int((clock_in - start).total_seconds() // 60)) if abs((clock_in - start).total_seconds()) < 6 * 3600 else 0
        hours = Decimal((clock_out - clock_in).total_seconds() / 3600 - (shift.break_duration_minutes or 0) / 60).quantize(TWO) \
            if clock_out is not None else None
        regular = min(hours, scheduled_hours) if hours is not None else None
        overtime = max(hours - scheduled_hours, Decimal(0)).quantize(TWO) if hours is not None else None
        status = "present" if late <= 5 else "late"
        conn.execute(insert(AttendanceRecords).values(
            attendance_id=attendance_id, employee_id=employee_id, attendance_date=day, shift_id=shift_id,
            clock_in_time=clock_in, clock_out_time=clock_out, clock_in_location=location or emp.work_location,
            clock_out_location=(location or emp.work_location) if clock_out else None, scheduled_hours=scheduled_hours,
            actual_hours=hours, regular_hours=regular, overtime_hours=overtime, attendance_status=status,
            late_minutes=late, early_departure_minutes=0, overtime_approved=False, created_at=now))
        ctx.audit("hr.attendance.record", HR, "attendance", attendance_id,
                  after={"employee_id": employee_id, "date": day, "status": status, "hours": hours})
    return {"attendance_id": attendance_id, "created": True}


def request_leave(ctx: ServiceContext, employee_id: str, leave_type_id: str, start: dt.date, end: dt.date, *,
                  reason: str | None = None) -> str:
    """A pending leave request (working days counted Monday to Friday); returns its id."""
    ctx.require(HR, "write", "Requesting leave")
    reason = require_text(reason, "Reason", 2000, required=False)
    if end < start:
        raise DomainError(f"The leave ends ({end}) before it starts ({start}).")
    days = sum(1 for i in range((end - start).days + 1) if (start + dt.timedelta(days=i)).weekday() < 5)
    if days == 0:
        raise DomainError("The leave covers no working day.")
    request_id = ctx.next_key("LRQ", LeaveRequests.__table__, "request_id", HR)
    now = ctx.now()
    with ctx.transaction(HR) as conn:
        _employee(conn, employee_id)
        lt = conn.execute(select(LeaveTypes).where(LeaveTypes.leave_type_id == leave_type_id)).first()
        if lt is None:
            raise NotFound(f"There is no leave type {leave_type_id}.")
        if lt.max_days_per_request is not None and days > lt.max_days_per_request:
            raise DomainError(f"{lt.leave_type_name or leave_type_id} allows at most {lt.max_days_per_request} days a request ({days} asked).")
        clash = conn.execute(select(LeaveRequests.request_id).where(
            LeaveRequests.employee_id == employee_id, LeaveRequests.request_status.in_(ACTIVE_LEAVE),
            or_(LeaveRequests.cancelled.is_(None), LeaveRequests.cancelled.is_(False)),
            LeaveRequests.start_date <= end, LeaveRequests.end_date >= start)).scalar()
        if clash is not None:
            raise DomainError(f"Employee {employee_id} has leave request {clash} over these days already.")
        conn.execute(insert(LeaveRequests).values(
            request_id=request_id, employee_id=employee_id, leave_type_id=leave_type_id, request_date=now.date(),
            start_date=start, end_date=end, total_days=Decimal(days), is_half_day=False, reason=reason,
            request_status="pending", hr_approved=False, cancelled=False, created_at=now, updated_at=now))
        ctx.audit("hr.leave.request", HR, "leave_request", request_id,
                  after={"employee_id": employee_id, "leave_type_id": leave_type_id, "start": start, "end": end, "days": days})
    return request_id
