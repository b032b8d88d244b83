"""`genims users ...` and `genims audit`: accounts, roles and the audit trail from the command line.

The command line acts as the local operator (whoever can run it can read the database files) and is
recorded in the audit trail as `cli:<login name>`.
"""

from __future__ import annotations

import datetime as dt
import getpass
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from .backend.errors import ConfigError

out = Console()
err = Console(stderr=True, soft_wrap=True)

users_app = typer.Typer(help="User accounts and their roles.", no_args_is_help=True)


def _read_password(given: str | None, prompt: str) -> str:
    """A password from --password-stdin or a hidden prompt; never from an argument (shell history)."""
    if given is not None:
        return given
    if not sys.stdin.isatty():
        line = sys.stdin.readline().rstrip("\n")
        if not line:
            raise ConfigError("No password on standard input.", "Pipe it in: echo $PW | genims users ... --password-stdin")
        return line
    first = getpass.getpass(f"{prompt}: ")
    if getpass.getpass("Again: ") != first:
        raise ConfigError("The two passwords differ; nothing was changed.")
    return first


def register(app: typer.Typer, open_dbs, emit_json) -> None:
    app.add_typer(users_app, name="users")

    def store():
        from .backend.access import AccessStore

        dbs = open_dbs()
        dbs.create(["genims_console_db"])
        return dbs, AccessStore(dbs)

    def as_operator(action):
        """Run action(access_store, acting_user) as the command-line operator, closing the databases."""
        from .backend.access import cli_user

        dbs, access = store()
        try:
            return action(access, cli_user())
        finally:
            dbs.dispose()

    @users_app.command("list")
    def users_list(as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False) -> None:
        """Every user with roles, state and last login."""
        dbs, access = store()
        try:
            users = access.list_users()
        finally:
            dbs.dispose()
        if as_json:
            emit_json({"users": users})
            return
        table = Table(title="Users")
        for col in ("email", "name", "roles", "active", "must change password", "last login"):
            table.add_column(col)
        for u in users:
            table.add_row(
                u["email"], u["display_name"] or "", ", ".join(u["roles"]), "yes" if u["active"] else "no",
                "yes" if u["must_change_password"] else "no",
                f"{u['last_login_at']:%Y-%m-%d %H:%M}" if u["last_login_at"] else "never",
            )
        out.print(table)

    @users_app.command("add")
    def users_add(
        email: Annotated[str, typer.Argument(help="The user's e-mail (the login).")],
        role: Annotated[list[str], typer.Option("--role", "-r", help="A role id (repeat for several).")],
        name: Annotated[str | None, typer.Option("--name", help="Display name.")] = None,
        password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin.")] = False,
    ) -> None:
        """Add a user; the first password must be changed at first login."""
        password = _read_password(sys.stdin.readline().rstrip("\n") if password_stdin else None, "Password")
        user_id = as_operator(lambda access, me: access.add_user(me, email, name or email, role, password))
        err.print(f"Added {email} as {user_id} with role(s) {', '.join(role)}; the password must be changed at first login.")

    @users_app.command("set-password")
    def users_set_password(
        email: Annotated[str, typer.Argument(help="The user's e-mail.")],
        password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin.")] = False,
    ) -> None:
        """Set a user's password (they must change it at their next login)."""
        password = _read_password(sys.stdin.readline().rstrip("\n") if password_stdin else None, "New password")
        as_operator(lambda access, me: access.set_password(me, email, password))
        err.print(f"Password of {email} set; it must be changed at the next login.")

    @users_app.command("disable")
    def users_disable(email: Annotated[str, typer.Argument(help="The user's e-mail.")]) -> None:
        """Disable a user: they can no longer log in (nothing is deleted)."""
        as_operator(lambda access, me: access.set_active(me, email, False))
        err.print(f"{email} is disabled.")

    @users_app.command("enable")
    def users_enable(email: Annotated[str, typer.Argument(help="The user's e-mail.")]) -> None:
        """Enable a disabled user again."""
        as_operator(lambda access, me: access.set_active(me, email, True))
        err.print(f"{email} is enabled.")

    @users_app.command("roles")
    def users_roles(as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False) -> None:
        """The roles, their workspace and their access per logical database."""
        from .backend.access import ROLES

        rows = [
            {"role": r.role_id, "name": r.name, "workspace": r.workspace, "permissions": r.permissions,
             "capabilities": sorted(r.capabilities)}
            for r in ROLES
        ]
        if as_json:
            emit_json({"roles": rows})
            return
        table = Table(title="Roles")
        for col in ("role", "name", "workspace", "access", "may also"):
            table.add_column(col)
        for r in rows:
            access = ", ".join(f"{db.removeprefix('genims_').removesuffix('_db')}:{lvl}" for db, lvl in r["permissions"].items())
            table.add_row(r["role"], r["name"], r["workspace"], access, ", ".join(r["capabilities"]))
        out.print(table)

    @app.command("audit")
    def audit(
        user: Annotated[str | None, typer.Option("--user", help="Only this user's actions (e-mail or id).")] = None,
        since: Annotated[str | None, typer.Option("--since", help="Only from this date or date-time (UTC).")] = None,
        limit: Annotated[int, typer.Option("--limit", help="Most records to show.")] = 200,
        as_json: Annotated[bool, typer.Option("--json", help="Print one JSON document.")] = False,
    ) -> None:
        """The audit trail: who did what, when, with key fields before and after."""
        start = None
        if since:
            try:
                start = dt.datetime.fromisoformat(since)
            except ValueError:
                raise ConfigError(f"--since {since!r} is not a date or date-time.", "Use e.g. 2026-11-20.") from None
        if limit < 1:
            raise ConfigError("--limit must be 1 or more.")
        dbs, access = store()
        try:
            rows = access.audit_trail(user=user, since=start, limit=limit)
        finally:
            dbs.dispose()
        if as_json:
            emit_json({"audit": rows})
            return
        table = Table(title="Audit trail (newest first)")
        for col in ("when (UTC)", "user", "action", "object", "before", "after", "detail"):
            table.add_column(col)
        for r in rows:
            obj = " ".join(str(x) for x in (r["database_name"], r["entity_type"], r["entity_id"]) if x)
            table.add_row(
                f"{r['occurred_at']:%Y-%m-%d %H:%M:%S}", r["user_id"] or "-", r["action"], obj,
                str(r["before"]) if r["before"] is not None else "", str(r["after"]) if r["after"] is not None else "",
                r["detail"] or "",
            )
        out.print(table)
