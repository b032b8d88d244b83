"""The base of every console view: its data is read by the backend in a worker thread, never on the
event loop, and a slow or dead database shows a status line instead of freezing or a traceback.

A subclass implements `fetch()` (runs in a thread: backend calls only, returns plain data) and
`show(data)` (runs on the event loop: fills widgets). `refresh_view()` starts a load; the workspace
calls it when the view is shown and on its refresh timer. `run_service(fn, ..., done=...)` runs a
service call (a write) in a worker and shows a DomainError's message in the status line and as a
notification.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual import work
from textual.containers import Vertical
from textual.widgets import Static

from ..backend.errors import GenimsError

log = logging.getLogger(__name__)

STICKY_ERROR_SECONDS = 20.0


def error_text(exc: BaseException) -> str:
    """What a person reads for an error: the message (and hint) of ours, a short line for anything else."""
    if isinstance(exc, GenimsError):
        return exc.message + (f" {exc.hint}" if exc.hint else "")
    return f"Something went wrong: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}".strip()


class StatusLine(Static):
    DEFAULT_CSS = """
    StatusLine { height: 1; padding: 0 1; color: $text-muted; }
    StatusLine.-error { color: $error; text-style: bold; }
    """

    def say(self, message: str, error: bool = False) -> None:
        self.set_class(error, "-error")
        self.update(Text(message))  # text, never markup: messages may hold brackets


class DataView(Vertical):
    """A view that loads through the backend in a worker (see the module notes)."""

    DEFAULT_CSS = """
    DataView { height: 1fr; }
    """
    help_text: str = ""  # shown by `?` above the keys
    loading_message = "Loading ..."

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.last_error: str | None = None
        self.loaded_once = False
        self._sticky_error: tuple[str, float] | None = None
        self.load_count = 0  # loads shown so far (benchmarks and tests wait on it)
        self._showing = False
        self._status_is_transient = False  # the status line shows "Loading ..." or a load error

    @property
    def user(self):
        return self.app.user

    @property
    def dbs(self):
        return self.app.dbs

    def service_context(self):
        return self.app.service_context()

    # -- reading ------------------------------------------------------------------------------

    def fetch(self) -> Any:  # pragma: no cover - subclasses
        raise NotImplementedError

    def show(self, data: Any) -> None:  # pragma: no cover - subclasses
        raise NotImplementedError

    def status(self) -> StatusLine | None:
        found = self.query(StatusLine)
        return found.first() if found else None

    def say(self, message: str, error: bool = False) -> None:
        line = self.status()
        if line is not None:
            line.say(message, error)
        # An error the person's own action caused stays on screen through timer refreshes for a while
        # (a refresh must not wipe a refusal before it has been read); their next message replaces it.
        if not self._showing:  # what show() says is the data's own state, never sticky
            self._sticky_error = (message, time.monotonic()) if error else None

    def refresh_view(self) -> None:
        if not self.loaded_once:
            self.say(self.loading_message)
            self._status_is_transient = True
        self._load()

    @work(thread=True, exclusive=True, group="view-load")
    def _load(self) -> None:
        try:
            data = self.fetch()
        except Exception as exc:  # any failure becomes a status line, never a traceback on screen
            if not isinstance(exc, GenimsError):
                log.exception("loading %s failed", type(self).__name__)
            self.app.call_from_thread(self._failed, error_text(exc))
            return
        self.app.call_from_thread(self._loaded, data)

    def _loaded(self, data: Any) -> None:
        self.last_error = None
        self.loaded_once = True
        self.load_count += 1
        sticky = self._sticky_error
        if self._status_is_transient:  # a view whose show() says nothing must not keep "Loading ..."
            self._status_is_transient = False
            line = self.status()
            if line is not None:
                line.say("")
        self._showing = True
        try:
            self.show(data)
        finally:
            self._showing = False
        if sticky and time.monotonic() - sticky[1] < STICKY_ERROR_SECONDS:
            line = self.status()
            if line is not None:
                line.say(sticky[0], error=True)  # keeps its first time: it fades after STICKY_ERROR_SECONDS
        elif sticky:
            line = self.status()
            if line is not None and str(line.render()) == sticky[0]:
                line.say("")  # faded, and the view said nothing new over it
            self._sticky_error = None

    def _failed(self, message: str) -> None:
        self.last_error = message
        line = self.status()
        if line is not None:  # a load error is not sticky: the next good load replaces it
            line.say(message, error=True)
        self._status_is_transient = True  # cleared by the next successful load

    # -- writing ------------------------------------------------------------------------------

    def run_service(self, function: Callable[..., Any], *args: Any, done: Callable[[Any], None] | None = None,
                    failed: Callable[[str], None] | None = None, **kwargs: Any) -> None:
        """`function(service_context, *args, **kwargs)` in a worker; `done(result)` on success, the
        error's message in the status line (and `failed(message)`) otherwise."""
        self._service(function, args, kwargs, done, failed)

    @work(thread=True, group="view-service")
    def _service(self, function, args, kwargs, done, failed) -> None:
        try:
            result = function(self.service_context(), *args, **kwargs)
        except Exception as exc:
            if not isinstance(exc, GenimsError):
                log.exception("service call %s failed", getattr(function, "__name__", function))
            message = error_text(exc)
            self.app.call_from_thread(self._service_failed, message, failed)
            return
        if done is not None:
            self.app.call_from_thread(done, result)

    def _service_failed(self, message: str, failed) -> None:
        self.say(message, error=True)
        self.app.notify(message, severity="error", timeout=8)
        if failed is not None:
            failed(message)
