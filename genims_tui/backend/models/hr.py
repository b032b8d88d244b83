"""genims_hr_db: HCM: employees, org structure, skills, training, certifications, reviews, shifts, leave, safety.

Every table and column of the catalog, with its primary key, real foreign keys for references
inside this logical database (references to other logical databases are logical only, checked
by `genims check`), and indexes on reference, status and date columns.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    Time,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from .types import NAMING_CONVENTION, BigSerial, PortableJSON, Point, TextArray

DATABASE = "genims_hr_db"


class Base(DeclarativeBase):
    """Declarative base of genims_hr_db; its own MetaData, since table names repeat across databases."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)



class Employees(Base):
    __tablename__ = "employees"

    employee_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    employee_number: Mapped[str | None] = mapped_column(String(50))
    first_name: Mapped[str | None] = mapped_column(String(100))
    middle_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    preferred_name: Mapped[str | None] = mapped_column(String(100))
    salutation: Mapped[str | None] = mapped_column(String(10))
    gender: Mapped[str | None] = mapped_column(String(20))
    date_of_birth: Mapped[dt.date | None] = mapped_column(Date())
    personal_email: Mapped[str | None] = mapped_column(String(100))
    work_email: Mapped[str | None] = mapped_column(String(100))
    mobile_phone: Mapped[str | None] = mapped_column(String(50))
    home_phone: Mapped[str | None] = mapped_column(String(50))
    address_line1: Mapped[str | None] = mapped_column(String(200))
    address_line2: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    state: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(50))
    postal_code: Mapped[str | None] = mapped_column(String(20))
    emergency_contact_name: Mapped[str | None] = mapped_column(String(200))
    emergency_contact_relationship: Mapped[str | None] = mapped_column(String(50))
    emergency_contact_phone: Mapped[str | None] = mapped_column(String(50))
    hire_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    employment_type: Mapped[str | None] = mapped_column(String(30))
    employment_status: Mapped[str | None] = mapped_column(String(30), index=True)
    termination_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    termination_reason: Mapped[str | None] = mapped_column(String(200))
    primary_factory_id: Mapped[str | None] = mapped_column(String(50), index=True)
    primary_department_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("departments.department_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    primary_position_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("positions.position_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    reports_to_employee_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("employees.employee_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    job_title: Mapped[str | None] = mapped_column(String(200))
    job_level: Mapped[str | None] = mapped_column(String(50))
    work_location: Mapped[str | None] = mapped_column(String(200))
    shift_type: Mapped[str | None] = mapped_column(String(30))
    weekly_hours: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    salary_grade: Mapped[str | None] = mapped_column(String(20))
    annual_salary: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    benefits_eligible: Mapped[bool | None] = mapped_column(Boolean())
    national_id: Mapped[str | None] = mapped_column(String(50))
    passport_number: Mapped[str | None] = mapped_column(String(50))
    tax_id: Mapped[str | None] = mapped_column(String(50))
    photo_url: Mapped[str | None] = mapped_column(String(500))
    user_account_created: Mapped[bool | None] = mapped_column(Boolean())
    username: Mapped[str | None] = mapped_column(String(100))
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_by: Mapped[str | None] = mapped_column(String(50))
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class EmployeeEmploymentHistory(Base):
    __tablename__ = "employee_employment_history"

    history_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    employee_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("employees.employee_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    change_type: Mapped[str | None] = mapped_column(String(50))
    previous_position_id: Mapped[str | None] = mapped_column(String(50))
    previous_department_id: Mapped[str | None] = mapped_column(String(50))
    previous_job_title: Mapped[str | None] = mapped_column(String(200))
    previous_job_level: Mapped[str | None] = mapped_column(String(50))
    previous_manager_id: Mapped[str | None] = mapped_column(String(50))
    previous_factory_id: Mapped[str | None] = mapped_column(String(50))
    previous_salary: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    new_position_id: Mapped[str | None] = mapped_column(String(50))
    new_department_id: Mapped[str | None] = mapped_column(String(50))
    new_job_title: Mapped[str | None] = mapped_column(String(200))
    new_job_level: Mapped[str | None] = mapped_column(String(50))
    new_manager_id: Mapped[str | None] = mapped_column(String(50))
    new_factory_id: Mapped[str | None] = mapped_column(String(50))
    new_salary: Mapped[Decimal | None] = mapped_column(Numeric(15, 2))
    effective_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    reason: Mapped[str | None] = mapped_column(Text())
    approved_by: Mapped[str | None] = mapped_column(String(50))
    approved_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class Departments(Base):
    __tablename__ = "departments"

    department_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    department_code: Mapped[str | None] = mapped_column(String(50))
    department_name: Mapped[str | None] = mapped_column(String(200))
    parent_department_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("departments.department_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    factory_id: Mapped[str | None] = mapped_column(String(50), index=True)
    department_head_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("employees.employee_id", deferrable=True, initially="IMMEDIATE", use_alter=True),
        index=True,
    )
    cost_center: Mapped[str | None] = mapped_column(String(50))
    description: Mapped[str | None] = mapped_column(Text())
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class JobRoles(Base):
    __tablename__ = "job_roles"

    role_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    role_code: Mapped[str | None] = mapped_column(String(50))
    role_name: Mapped[str | None] = mapped_column(String(200))
    role_category: Mapped[str | None] = mapped_column(String(50))
    role_family: Mapped[str | None] = mapped_column(String(100))
    role_level: Mapped[str | None] = mapped_column(String(50))
    job_description: Mapped[str | None] = mapped_column(Text())
    key_responsibilities: Mapped[str | None] = mapped_column(Text())
    required_qualifications: Mapped[str | None] = mapped_column(Text())
    min_education: Mapped[str | None] = mapped_column(String(50))
    min_experience_years: Mapped[int | None] = mapped_column(Integer())
    reports_to_role_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("job_roles.role_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class Positions(Base):
    __tablename__ = "positions"

    position_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    position_code: Mapped[str | None] = mapped_column(String(50))
    position_name: Mapped[str | None] = mapped_column(String(200))
    role_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("job_roles.role_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    department_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("departments.department_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    employee_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("employees.employee_id", deferrable=True, initially="IMMEDIATE", use_alter=True),
        index=True,
    )
    position_status: Mapped[str | None] = mapped_column(String(30), index=True)
    is_budgeted: Mapped[bool | None] = mapped_column(Boolean())
    budget_year: Mapped[int | None] = mapped_column(Integer())
    position_start_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    position_end_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class SkillsCatalog(Base):
    __tablename__ = "skills_catalog"

    skill_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    skill_code: Mapped[str | None] = mapped_column(String(50))
    skill_name: Mapped[str | None] = mapped_column(String(200))
    skill_category: Mapped[str | None] = mapped_column(String(50))
    skill_type: Mapped[str | None] = mapped_column(String(50))
    description: Mapped[str | None] = mapped_column(Text())
    has_proficiency_levels: Mapped[bool | None] = mapped_column(Boolean())
    requires_certification: Mapped[bool | None] = mapped_column(Boolean())
    certification_body: Mapped[str | None] = mapped_column(String(200))
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class EmployeeSkills(Base):
    __tablename__ = "employee_skills"

    employee_skill_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    employee_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("employees.employee_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    skill_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("skills_catalog.skill_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    proficiency_level: Mapped[int | None] = mapped_column(Integer())
    proficiency_name: Mapped[str | None] = mapped_column(String(50))
    acquired_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    last_used_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    years_of_experience: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    verified: Mapped[bool | None] = mapped_column(Boolean())
    verified_by: Mapped[str | None] = mapped_column(String(50))
    verified_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    self_assessment_level: Mapped[int | None] = mapped_column(Integer())
    manager_assessment_level: Mapped[int | None] = mapped_column(Integer())
    notes: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class RoleSkillRequirements(Base):
    __tablename__ = "role_skill_requirements"

    requirement_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    role_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("job_roles.role_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    skill_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("skills_catalog.skill_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    requirement_type: Mapped[str | None] = mapped_column(String(30))
    min_proficiency_level: Mapped[int | None] = mapped_column(Integer())
    priority: Mapped[int | None] = mapped_column(Integer())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class TrainingCourses(Base):
    __tablename__ = "training_courses"

    course_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    course_code: Mapped[str | None] = mapped_column(String(50))
    course_name: Mapped[str | None] = mapped_column(String(200))
    course_category: Mapped[str | None] = mapped_column(String(50))
    course_type: Mapped[str | None] = mapped_column(String(50))
    description: Mapped[str | None] = mapped_column(Text())
    learning_objectives: Mapped[str | None] = mapped_column(Text())
    duration_hours: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    delivery_method: Mapped[str | None] = mapped_column(String(50))
    training_provider: Mapped[str | None] = mapped_column(String(200))
    instructor_name: Mapped[str | None] = mapped_column(String(200))
    max_participants: Mapped[int | None] = mapped_column(Integer())
    prerequisites: Mapped[str | None] = mapped_column(Text())
    has_assessment: Mapped[bool | None] = mapped_column(Boolean())
    passing_score: Mapped[int | None] = mapped_column(Integer())
    provides_certification: Mapped[bool | None] = mapped_column(Boolean())
    certificate_validity_months: Mapped[int | None] = mapped_column(Integer())
    cost_per_participant: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    currency: Mapped[str | None] = mapped_column(String(3))
    course_materials: Mapped[str | None] = mapped_column(Text())
    course_status: Mapped[str | None] = mapped_column(String(30), index=True)
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class TrainingRequirements(Base):
    __tablename__ = "training_requirements"

    requirement_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    requirement_type: Mapped[str | None] = mapped_column(String(30))
    role_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("job_roles.role_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    factory_id: Mapped[str | None] = mapped_column(String(50), index=True)
    department_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("departments.department_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    equipment_type: Mapped[str | None] = mapped_column(String(100))
    course_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("training_courses.course_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    is_mandatory: Mapped[bool | None] = mapped_column(Boolean())
    frequency: Mapped[str | None] = mapped_column(String(30))
    validity_months: Mapped[int | None] = mapped_column(Integer())
    grace_period_days: Mapped[int | None] = mapped_column(Integer())
    regulatory_body: Mapped[str | None] = mapped_column(String(200))
    regulation_reference: Mapped[str | None] = mapped_column(String(200))
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class TrainingSchedules(Base):
    __tablename__ = "training_schedules"

    schedule_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    course_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("training_courses.course_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    session_name: Mapped[str | None] = mapped_column(String(200))
    start_datetime: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    end_datetime: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    factory_id: Mapped[str | None] = mapped_column(String(50), index=True)
    training_location: Mapped[str | None] = mapped_column(String(200))
    is_virtual: Mapped[bool | None] = mapped_column(Boolean())
    virtual_meeting_url: Mapped[str | None] = mapped_column(String(500))
    instructor_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("employees.employee_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    instructor_name: Mapped[str | None] = mapped_column(String(200))
    max_participants: Mapped[int | None] = mapped_column(Integer())
    current_enrollment: Mapped[int | None] = mapped_column(Integer())
    schedule_status: Mapped[str | None] = mapped_column(String(30), index=True)
    completed_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    notes: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class TrainingEnrollments(Base):
    __tablename__ = "training_enrollments"

    enrollment_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    schedule_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("training_schedules.schedule_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    employee_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("employees.employee_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    enrollment_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    enrollment_status: Mapped[str | None] = mapped_column(String(30), index=True)
    attended: Mapped[bool | None] = mapped_column(Boolean())
    attendance_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    attendance_hours: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    assessment_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    passed: Mapped[bool | None] = mapped_column(Boolean())
    completion_status: Mapped[str | None] = mapped_column(String(30), index=True)
    completion_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    certificate_issued: Mapped[bool | None] = mapped_column(Boolean())
    certificate_number: Mapped[str | None] = mapped_column(String(100))
    certificate_issue_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    certificate_expiry_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    certificate_url: Mapped[str | None] = mapped_column(String(500))
    feedback_rating: Mapped[int | None] = mapped_column(Integer())
    feedback_comments: Mapped[str | None] = mapped_column(Text())
    notes: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class EmployeeCertifications(Base):
    __tablename__ = "employee_certifications"

    certification_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    employee_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("employees.employee_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    certification_name: Mapped[str | None] = mapped_column(String(200))
    certification_type: Mapped[str | None] = mapped_column(String(50))
    issuing_organization: Mapped[str | None] = mapped_column(String(200))
    certification_number: Mapped[str | None] = mapped_column(String(100))
    training_enrollment_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("training_enrollments.enrollment_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    issue_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    expiry_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    requires_renewal: Mapped[bool | None] = mapped_column(Boolean())
    renewal_frequency_months: Mapped[int | None] = mapped_column(Integer())
    renewal_grace_period_days: Mapped[int | None] = mapped_column(Integer())
    certification_status: Mapped[str | None] = mapped_column(String(30), index=True)
    certificate_file_url: Mapped[str | None] = mapped_column(String(500))
    expiry_alert_sent: Mapped[bool | None] = mapped_column(Boolean())
    notes: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class PerformanceKpis(Base):
    __tablename__ = "performance_kpis"

    kpi_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    kpi_code: Mapped[str | None] = mapped_column(String(50))
    kpi_name: Mapped[str | None] = mapped_column(String(200))
    kpi_category: Mapped[str | None] = mapped_column(String(50))
    role_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("job_roles.role_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    department_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("departments.department_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    measurement_unit: Mapped[str | None] = mapped_column(String(50))
    measurement_frequency: Mapped[str | None] = mapped_column(String(30))
    target_value: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    threshold_value: Mapped[Decimal | None] = mapped_column(Numeric(15, 4))
    calculation_method: Mapped[str | None] = mapped_column(Text())
    weight_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    description: Mapped[str | None] = mapped_column(Text())
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class PerformanceReviews(Base):
    __tablename__ = "performance_reviews"

    review_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    employee_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("employees.employee_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    review_type: Mapped[str | None] = mapped_column(String(30))
    review_period_start: Mapped[dt.date | None] = mapped_column(Date())
    review_period_end: Mapped[dt.date | None] = mapped_column(Date())
    reviewer_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("employees.employee_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    review_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    overall_rating: Mapped[Decimal | None] = mapped_column(Numeric(3, 2))
    performance_level: Mapped[str | None] = mapped_column(String(30))
    technical_competency_rating: Mapped[Decimal | None] = mapped_column(Numeric(3, 2))
    behavioral_competency_rating: Mapped[Decimal | None] = mapped_column(Numeric(3, 2))
    leadership_rating: Mapped[Decimal | None] = mapped_column(Numeric(3, 2))
    key_strengths: Mapped[str | None] = mapped_column(Text())
    areas_for_improvement: Mapped[str | None] = mapped_column(Text())
    goals_achieved: Mapped[int | None] = mapped_column(Integer())
    goals_total: Mapped[int | None] = mapped_column(Integer())
    goals_achievement_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    manager_comments: Mapped[str | None] = mapped_column(Text())
    employee_comments: Mapped[str | None] = mapped_column(Text())
    review_status: Mapped[str | None] = mapped_column(String(30), index=True)
    acknowledged_by_employee: Mapped[bool | None] = mapped_column(Boolean())
    acknowledged_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    hr_reviewed: Mapped[bool | None] = mapped_column(Boolean())
    hr_reviewed_by: Mapped[str | None] = mapped_column(String(50))
    hr_reviewed_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    development_plan: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class EmployeeGoals(Base):
    __tablename__ = "employee_goals"

    goal_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    employee_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("employees.employee_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    goal_title: Mapped[str | None] = mapped_column(String(200))
    goal_description: Mapped[str | None] = mapped_column(Text())
    is_specific: Mapped[bool | None] = mapped_column(Boolean())
    is_measurable: Mapped[bool | None] = mapped_column(Boolean())
    success_criteria: Mapped[str | None] = mapped_column(Text())
    start_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    target_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    completed_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    goal_category: Mapped[str | None] = mapped_column(String(50))
    goal_status: Mapped[str | None] = mapped_column(String(30), index=True)
    progress_pct: Mapped[int | None] = mapped_column(Integer())
    weight_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    linked_to_review_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("performance_reviews.review_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    set_by_manager_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("employees.employee_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    notes: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class ShiftSchedules(Base):
    __tablename__ = "shift_schedules"

    shift_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    shift_code: Mapped[str | None] = mapped_column(String(50))
    shift_name: Mapped[str | None] = mapped_column(String(200))
    start_time: Mapped[dt.time | None] = mapped_column(Time())
    end_time: Mapped[dt.time | None] = mapped_column(Time())
    break_duration_minutes: Mapped[int | None] = mapped_column(Integer())
    shift_type: Mapped[str | None] = mapped_column(String(30))
    factory_id: Mapped[str | None] = mapped_column(String(50), index=True)
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class EmployeeShifts(Base):
    __tablename__ = "employee_shifts"

    employee_shift_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    employee_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("employees.employee_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    shift_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("shift_schedules.shift_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    effective_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    end_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    monday: Mapped[bool | None] = mapped_column(Boolean())
    tuesday: Mapped[bool | None] = mapped_column(Boolean())
    wednesday: Mapped[bool | None] = mapped_column(Boolean())
    thursday: Mapped[bool | None] = mapped_column(Boolean())
    friday: Mapped[bool | None] = mapped_column(Boolean())
    saturday: Mapped[bool | None] = mapped_column(Boolean())
    sunday: Mapped[bool | None] = mapped_column(Boolean())
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class AttendanceRecords(Base):
    __tablename__ = "attendance_records"

    attendance_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    employee_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("employees.employee_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    attendance_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    shift_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("shift_schedules.shift_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    clock_in_time: Mapped[dt.datetime | None] = mapped_column(DateTime())
    clock_out_time: Mapped[dt.datetime | None] = mapped_column(DateTime())
    clock_in_location: Mapped[str | None] = mapped_column(String(200))
    clock_out_location: Mapped[str | None] = mapped_column(String(200))
    scheduled_hours: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    actual_hours: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    regular_hours: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    overtime_hours: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    attendance_status: Mapped[str | None] = mapped_column(String(30), index=True)
    late_minutes: Mapped[int | None] = mapped_column(Integer())
    early_departure_minutes: Mapped[int | None] = mapped_column(Integer())
    overtime_approved: Mapped[bool | None] = mapped_column(Boolean())
    approved_by: Mapped[str | None] = mapped_column(String(50))
    notes: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class LeaveTypes(Base):
    __tablename__ = "leave_types"

    leave_type_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    leave_type_code: Mapped[str | None] = mapped_column(String(50))
    leave_type_name: Mapped[str | None] = mapped_column(String(200))
    leave_category: Mapped[str | None] = mapped_column(String(50))
    accrual_enabled: Mapped[bool | None] = mapped_column(Boolean())
    accrual_frequency: Mapped[str | None] = mapped_column(String(30))
    accrual_rate: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    max_days_per_year: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    max_carry_forward: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    min_days_per_request: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    max_days_per_request: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    min_notice_days: Mapped[int | None] = mapped_column(Integer())
    requires_approval: Mapped[bool | None] = mapped_column(Boolean())
    applicable_gender: Mapped[str | None] = mapped_column(String(20))
    requires_documentation: Mapped[bool | None] = mapped_column(Boolean())
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class EmployeeLeaveBalances(Base):
    __tablename__ = "employee_leave_balances"

    balance_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    employee_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("employees.employee_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    leave_type_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("leave_types.leave_type_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    leave_year: Mapped[int | None] = mapped_column(Integer())
    opening_balance: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    accrued_days: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    used_days: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    pending_days: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    available_balance: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    carry_forward_from_previous_year: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    last_updated: Mapped[dt.datetime | None] = mapped_column(DateTime())


class LeaveRequests(Base):
    __tablename__ = "leave_requests"

    request_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    employee_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("employees.employee_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    leave_type_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("leave_types.leave_type_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    request_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    start_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    end_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    total_days: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    is_half_day: Mapped[bool | None] = mapped_column(Boolean())
    half_day_session: Mapped[str | None] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(Text())
    supporting_document_url: Mapped[str | None] = mapped_column(String(500))
    request_status: Mapped[str | None] = mapped_column(String(30), index=True)
    approved_by: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("employees.employee_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    approval_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    rejection_reason: Mapped[str | None] = mapped_column(Text())
    hr_approved: Mapped[bool | None] = mapped_column(Boolean())
    hr_approved_by: Mapped[str | None] = mapped_column(String(50))
    hr_approval_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    cancelled: Mapped[bool | None] = mapped_column(Boolean())
    cancelled_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    cancellation_reason: Mapped[str | None] = mapped_column(Text())
    notes: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class OnboardingChecklists(Base):
    __tablename__ = "onboarding_checklists"

    checklist_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    checklist_code: Mapped[str | None] = mapped_column(String(50))
    checklist_name: Mapped[str | None] = mapped_column(String(200))
    role_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("job_roles.role_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    department_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("departments.department_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    description: Mapped[str | None] = mapped_column(Text())
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class OnboardingChecklistItems(Base):
    __tablename__ = "onboarding_checklist_items"

    item_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    checklist_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("onboarding_checklists.checklist_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    item_number: Mapped[int | None] = mapped_column(Integer())
    item_title: Mapped[str | None] = mapped_column(String(200))
    item_description: Mapped[str | None] = mapped_column(Text())
    item_category: Mapped[str | None] = mapped_column(String(50))
    responsible_party: Mapped[str | None] = mapped_column(String(50))
    due_days_from_hire: Mapped[int | None] = mapped_column(Integer())
    is_mandatory: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class EmployeeOnboarding(Base):
    __tablename__ = "employee_onboarding"

    onboarding_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    employee_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("employees.employee_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    checklist_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("onboarding_checklists.checklist_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    onboarding_start_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    onboarding_status: Mapped[str | None] = mapped_column(String(30), index=True)
    completion_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    total_items: Mapped[int | None] = mapped_column(Integer())
    completed_items: Mapped[int | None] = mapped_column(Integer())
    completion_pct: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    hr_coordinator_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("employees.employee_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    notes: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class EmployeeOnboardingItems(Base):
    __tablename__ = "employee_onboarding_items"

    item_tracking_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    onboarding_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("employee_onboarding.onboarding_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    item_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("onboarding_checklist_items.item_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    item_status: Mapped[str | None] = mapped_column(String(30), index=True)
    due_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    completed: Mapped[bool | None] = mapped_column(Boolean())
    completed_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    completed_by: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("employees.employee_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    notes: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class OffboardingRecords(Base):
    __tablename__ = "offboarding_records"

    offboarding_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    employee_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("employees.employee_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    last_working_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    exit_type: Mapped[str | None] = mapped_column(String(50))
    exit_reason: Mapped[str | None] = mapped_column(String(200))
    notice_period_days: Mapped[int | None] = mapped_column(Integer())
    notice_given_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    clearance_status: Mapped[str | None] = mapped_column(String(30), index=True)
    it_clearance: Mapped[bool | None] = mapped_column(Boolean())
    facility_clearance: Mapped[bool | None] = mapped_column(Boolean())
    finance_clearance: Mapped[bool | None] = mapped_column(Boolean())
    hr_clearance: Mapped[bool | None] = mapped_column(Boolean())
    exit_interview_conducted: Mapped[bool | None] = mapped_column(Boolean())
    exit_interview_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    exit_interview_feedback: Mapped[str | None] = mapped_column(Text())
    eligible_for_rehire: Mapped[bool | None] = mapped_column(Boolean())
    resignation_letter_url: Mapped[str | None] = mapped_column(String(500))
    full_and_final_settlement_url: Mapped[str | None] = mapped_column(String(500))
    notes: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class CareerPaths(Base):
    __tablename__ = "career_paths"

    path_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    path_code: Mapped[str | None] = mapped_column(String(50))
    path_name: Mapped[str | None] = mapped_column(String(200))
    from_role_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("job_roles.role_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    to_role_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("job_roles.role_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    path_type: Mapped[str | None] = mapped_column(String(30))
    typical_time_years: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    required_skills: Mapped[str | None] = mapped_column(Text())
    required_certifications: Mapped[str | None] = mapped_column(Text())
    min_performance_rating: Mapped[Decimal | None] = mapped_column(Numeric(3, 2))
    description: Mapped[str | None] = mapped_column(Text())
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class SuccessionPlanning(Base):
    __tablename__ = "succession_planning"

    succession_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    position_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("positions.position_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    current_incumbent_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("employees.employee_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    succession_risk: Mapped[str | None] = mapped_column(String(30))
    expected_vacancy_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    successor_ready: Mapped[bool | None] = mapped_column(Boolean())
    development_plan: Mapped[str | None] = mapped_column(Text())
    notes: Mapped[str | None] = mapped_column(Text())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class SuccessionCandidates(Base):
    __tablename__ = "succession_candidates"

    candidate_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    succession_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("succession_planning.succession_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    employee_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("employees.employee_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    readiness_level: Mapped[str | None] = mapped_column(String(30))
    strengths: Mapped[str | None] = mapped_column(Text())
    development_needs: Mapped[str | None] = mapped_column(Text())
    individual_development_plan: Mapped[str | None] = mapped_column(Text())
    last_assessment_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class SafetyIncidents(Base):
    __tablename__ = "safety_incidents"

    incident_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    incident_number: Mapped[str | None] = mapped_column(String(50))
    employee_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("employees.employee_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    incident_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    incident_time: Mapped[dt.time | None] = mapped_column(Time())
    factory_id: Mapped[str | None] = mapped_column(String(50), index=True)
    department_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("departments.department_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    incident_location: Mapped[str | None] = mapped_column(String(200))
    incident_type: Mapped[str | None] = mapped_column(String(50))
    severity: Mapped[str | None] = mapped_column(String(30))
    description: Mapped[str | None] = mapped_column(Text())
    immediate_cause: Mapped[str | None] = mapped_column(Text())
    root_cause: Mapped[str | None] = mapped_column(Text())
    injury_type: Mapped[str | None] = mapped_column(String(50))
    body_part_affected: Mapped[str | None] = mapped_column(String(100))
    medical_treatment_required: Mapped[bool | None] = mapped_column(Boolean())
    days_away_from_work: Mapped[int | None] = mapped_column(Integer())
    investigation_status: Mapped[str | None] = mapped_column(String(30), index=True)
    investigated_by: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("employees.employee_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    investigation_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    investigation_findings: Mapped[str | None] = mapped_column(Text())
    corrective_actions: Mapped[str | None] = mapped_column(Text())
    preventive_measures: Mapped[str | None] = mapped_column(Text())
    osha_recordable: Mapped[bool | None] = mapped_column(Boolean())
    incident_status: Mapped[str | None] = mapped_column(String(30), index=True)
    closed_date: Mapped[dt.date | None] = mapped_column(Date(), index=True)
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
    updated_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class PpeRequirements(Base):
    __tablename__ = "ppe_requirements"

    ppe_requirement_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    factory_id: Mapped[str | None] = mapped_column(String(50), index=True)
    department_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("departments.department_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    job_role_id: Mapped[str | None] = mapped_column(
        String(50),
        ForeignKey("job_roles.role_id", deferrable=True, initially="IMMEDIATE"),
        index=True,
    )
    ppe_items: Mapped[str | None] = mapped_column(Text())
    description: Mapped[str | None] = mapped_column(Text())
    is_active: Mapped[bool | None] = mapped_column(Boolean())
    created_at: Mapped[dt.datetime | None] = mapped_column(DateTime())


class HcmIntegrationLog(Base):
    __tablename__ = "hcm_integration_log"

    log_id: Mapped[str] = mapped_column(String(50), primary_key=True)
    log_timestamp: Mapped[dt.datetime | None] = mapped_column(DateTime(), index=True)
    integration_direction: Mapped[str | None] = mapped_column(String(30))
    document_type: Mapped[str | None] = mapped_column(String(50))
    document_id: Mapped[str | None] = mapped_column(String(50))
    target_system: Mapped[str | None] = mapped_column(String(50))
    integration_status: Mapped[str | None] = mapped_column(String(30), index=True)
    error_message: Mapped[str | None] = mapped_column(Text())
    integration_data: Mapped[Any | None] = mapped_column(PortableJSON)
    retry_count: Mapped[int | None] = mapped_column(Integer())
    last_retry_at: Mapped[dt.datetime | None] = mapped_column(DateTime())
