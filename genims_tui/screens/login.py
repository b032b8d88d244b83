"""Login and the first-run password change.

A wrong password, an unknown e-mail or a disabled account all get the same message (the backend
says it), so nobody learns which part was wrong. A user whose password must be changed (the seed
users' first-run password, or one an administrator reset) changes it before going on.
"""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Static

from ..backend.access import AccessStore
from ..widgets.dataview import StatusLine, error_text


class LoginScreen(Screen):
    DEFAULT_CSS = """
    LoginScreen { align: center middle; }
    LoginScreen #box { width: 60; height: auto; border: round $primary; padding: 1 2; background: $surface; }
    LoginScreen #title { text-style: bold; color: $primary; }
    LoginScreen Button { width: 100%; }
    LoginScreen #hint { color: $text-muted; }
    """
    BINDINGS = [("escape", "app.quit", "Quit")]

    def __init__(self, email: str | None = None) -> None:
        super().__init__()
        self.prefill = email or ""

    def compose(self) -> ComposeResult:
        with Vertical(id="box"):
            yield Static("GenIMS Console · sign in", id="title")
            yield Input(value=self.prefill, placeholder="e-mail, e.g. you@genims.com", id="email")
            yield Input(password=True, placeholder="password", id="password")
            yield Button("Sign in", variant="primary", id="sign-in")
            yield StatusLine("", id="message")
            yield Static("New here? Seed users (admin@genims.com, ...) start with the first-run password "
                         "from the README.", id="hint")
        yield Footer()

    def on_mount(self) -> None:
        self.reset()

    def reset(self) -> None:
        """A clean form (after a sign-out): the pre-filled e-mail only."""
        if not self.query("#email"):
            return  # not composed yet: on_mount will do it
        self.query_one("#email", Input).value = self.prefill
        self.query_one("#password", Input).value = ""
        self.query_one("#sign-in", Button).disabled = False
        self.query_one(StatusLine).say("")
        self.query_one("#password" if self.prefill else "#email", Input).focus()

    @on(Input.Submitted, "#email")
    def _email_done(self) -> None:
        self.query_one("#password", Input).focus()

    @on(Input.Submitted, "#password")
    @on(Button.Pressed, "#sign-in")
    def _submit(self) -> None:
        email = self.query_one("#email", Input).value.strip()
        password = self.query_one("#password", Input).value
        if not email or not password:
            self.query_one(StatusLine).say("Enter your e-mail and password.", error=True)
            return
        self.query_one(StatusLine).say("Signing in ...")
        self.query_one("#sign-in", Button).disabled = True
        self._authenticate(email, password)

    @work(thread=True, exclusive=True)
    def _authenticate(self, email: str, password: str) -> None:
        try:
            user = AccessStore(self.app.dbs, clock=self.app.clock).authenticate(email, password)
        except Exception as exc:
            self.app.call_from_thread(self._failed, error_text(exc))
            return
        self.app.call_from_thread(self._succeeded, user)

    def _failed(self, message: str) -> None:
        self.query_one("#sign-in", Button).disabled = False
        password = self.query_one("#password", Input)
        password.value = ""
        password.focus()
        self.query_one(StatusLine).say(message, error=True)

    def _succeeded(self, user) -> None:
        if user.must_change_password:
            self.app.push_screen(ChangePasswordScreen(user))
        else:
            self.app.signed_in(user)


class ChangePasswordScreen(Screen):
    DEFAULT_CSS = """
    ChangePasswordScreen { align: center middle; }
    ChangePasswordScreen #box { width: 64; height: auto; border: round $warning; padding: 1 2; background: $surface; }
    ChangePasswordScreen #title { text-style: bold; color: $warning; padding-bottom: 1; }
    """
    BINDINGS = [("escape", "app.quit", "Quit")]

    def __init__(self, user) -> None:
        super().__init__()
        self.user = user

    def compose(self) -> ComposeResult:
        with Center():
            with Vertical(id="box"):
                yield Static(f"{self.user.email}: choose a new password before you go on", id="title")
                yield Input(password=True, placeholder="new password", id="new")
                yield Input(password=True, placeholder="new password again", id="again")
                yield StatusLine("At least 10 characters, not your e-mail.", id="message")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#new", Input).focus()

    @on(Input.Submitted, "#new")
    def _next(self) -> None:
        self.query_one("#again", Input).focus()

    @on(Input.Submitted, "#again")
    def _submit(self) -> None:
        new = self.query_one("#new", Input).value
        again = self.query_one("#again", Input).value
        if new != again:
            self._failed("The two passwords differ.")
            return
        self.query_one(StatusLine).say("Saving ...")
        self._change(new)

    @work(thread=True, exclusive=True)
    def _change(self, password: str) -> None:
        try:
            store = AccessStore(self.app.dbs, clock=self.app.clock)
            store.set_password(self.user, self.user.email, password)
            user = store.acting_user(self.user.user_id)
        except Exception as exc:
            self.app.call_from_thread(self._failed, error_text(exc))
            return
        self.app.call_from_thread(self.app.signed_in, user)

    def _failed(self, message: str) -> None:
        for box in self.query(Input):
            box.value = ""
        self.query_one("#new", Input).focus()
        self.query_one(StatusLine).say(message, error=True)
