"""The Operations workspace: the daemons, their live log, the sync status of every integration, seed
002's health checks and the open alerts.

- `ops.daemons`: every job (schedule, last run, outcome, duration, next run, success rate, kind,
  paused). `r` runs the selected job now, `p`/`u` pause/resume it in the embedded scheduler: only for
  users with the `jobs.control` capability (others see the monitor read-only). Enter: its recent runs.
- `ops.log`: the daemon log, tailed (bounded); `f` follow on/off, `j` job, `l` level, `/` text.
- `ops.sync`: queue depth, oldest pending, retries, dead letters, last success and latency per
  integration. Enter lists its dead letters; Enter on one shows its error; `R` requeues it.
- `ops.health`: the health checks, red when a threshold is crossed.
- `ops.alerts`: the open alerts; `a` acknowledges one (`jobs.control`).
All reads run in workers through `backend.monitoring` / `scheduler` / `health` / `alerts`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.suggester import SuggestFromList
from textual.widgets import DataTable, Footer, Header, Input, Static

from ..backend.errors import GenimsError
from ..views import View, register_view
from ..widgets.dataview import DataView, StatusLine, error_text
from ..widgets.live_log import LiveLog
from ..widgets.paged_table import cell
from ..widgets.sync_status import SyncStatusTable, human_duration, human_when

KIND_LABELS = {"automation": "auto", "system": "sys", "simulator": "sim"}
CONTROL = "jobs.control"
VIEW = "jobs.view"
SYNC_DB = "genims_erp_wms_sync_db"
RUNS_SHOWN = 50
DEAD_LETTERS_SHOWN = 100
LOG_READ = 500  # lines read at most per refresh (the pane keeps 1000)


def can_view(user) -> bool:
    return user.has(VIEW) or user.has(CONTROL)


def refill(table: DataTable, rows: Iterable[Any], key: Callable[[Any], str], cells: Callable[[Any], list]) -> None:
    """Replace the table's rows, keeping the cursor on the same key when it is still there."""
    current = None
    if table.row_count and 0 <= table.cursor_row < table.row_count:
        current = table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value
    table.clear()
    keys = []
    for row in rows:
        keys.append(key(row))
        table.add_row(*cells(row), key=keys[-1])
    if current in keys:
        table.move_cursor(row=keys.index(current), animate=False)


def selected_key(table: DataTable) -> str | None:
    if not table.row_count or not 0 <= table.cursor_row < table.row_count:
        return None
    return table.coordinate_to_cell_key((table.cursor_row, 0)).row_key.value


OUTCOME_STYLES = {"success": "green", "failed": "bold red", "running": "cyan", "skipped_locked": "yellow",
                  "interrupted": "yellow"}


def outcome_text(outcome: str | None) -> Text:
    if not outcome:
        return Text("never", style="dim")
    return Text(outcome, style=OUTCOME_STYLES.get(outcome, ""))


def every(seconds: int) -> str:
    return human_duration(seconds).replace(" 0s", "")


class ConfirmDialog(ModalScreen[bool]):
    """A yes/no question: y or Enter says yes, n or Esc says no."""

    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    ConfirmDialog #question { width: 70; height: auto; border: round $warning; background: $surface; padding: 1 2; }
    """
    BINDINGS = [Binding("y,enter", "answer(True)", "Yes"), Binding("n,escape", "answer(False)", "No")]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        yield Static(Text(self.question + "\n\n") + Text("y / Enter: yes    n / Esc: no", style="dim"), id="question")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


# -- ops.daemons ----------------------------------------------------------------------------------------


class DaemonMonitor(DataView):
    help_text = ("Every daemon job: its schedule, last run and outcome, how long it took, when it runs next "
                 "and its success rate. Enter shows the job's recent runs. With the jobs.control capability: "
                 "r runs the selected job now, p pauses and u resumes it in this console's scheduler.")
    BINDINGS = [
        Binding("r", "run_now", "Run now"),
        Binding("p", "pause", "Pause"),
        Binding("u", "resume", "Resume"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.last_action = ""  # what the last r / p / u did, kept in the status line across refreshes
        self.last_action_failed = False

    def compose(self) -> ComposeResult:
        table = DataTable(cursor_type="row", zebra_stripes=True, id="jobs")
        # what a person watches first (last run, outcome, next run) before the grouping (daemon, kind),
        # so it stays in view on an 80-column terminal
        for key, label in (("job", "Job"), ("every", "Every"), ("last", "Last run"), ("outcome", "Outcome"),
                           ("took", "Took"), ("next", "Next run"), ("rate", "Success"), ("runs", "Runs"),
                           ("state", "State"), ("daemon", "Daemon"), ("kind", "Kind")):
            table.add_column(label, key=key)
        yield table
        yield StatusLine()

    def focus_default(self) -> None:
        self.query_one("#jobs", DataTable).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("run_now", "pause", "resume"):
            return bool(self.app.user and self.app.user.has(CONTROL))
        return True

    def fetch(self) -> dict[str, Any]:
        from ..backend.scheduler import job_overview

        now = self.app.clock()
        rows = job_overview(self.dbs, now)
        daemons = self.app.daemons
        for row in rows:
            row["paused"] = bool(daemons and daemons.is_paused(row["job_name"]))
            scheduled = daemons.next_run_time(row["job_name"]) if daemons is not None else None
            if scheduled is not None:
                row["next_due_at"] = scheduled
        return {"now": now, "rows": rows, "scheduler": bool(daemons and daemons.running)}

    def show(self, data: dict[str, Any]) -> None:
        now = data["now"]
        table = self.query_one("#jobs", DataTable)

        def cells(r: dict[str, Any]) -> list:
            took = (r["last_finished_at"] - r["last_started_at"]).total_seconds() \
                if r["last_finished_at"] and r["last_started_at"] else None
            rate = r["success_rate_pct"]
            rate_text = Text("—", style="dim") if rate is None else \
                Text(f"{rate:.0f} %", style="" if rate >= 95 else ("yellow" if rate >= 80 else "bold red"))
            state = Text("paused", style="bold yellow") if r["paused"] else Text("scheduled" if data["scheduler"]
                                                                                 else "—", style="dim")
            last = human_when(r["last_started_at"], now) if r["last_started_at"] else Text("never", style="dim")
            return [r["job_name"], every(r["interval_seconds"]), last,
                    outcome_text(r["last_outcome"]), "—" if took is None else human_duration(took),
                    "due" if r["next_due_at"] <= now else human_when(r["next_due_at"], now),
                    rate_text, str(r["runs"]), state, r["daemon"] or "—", KIND_LABELS.get(r["kind"], r["kind"])]

        refill(table, data["rows"], lambda r: r["job_name"], cells)
        failed = sum(1 for r in data["rows"] if r["last_outcome"] == "failed")
        where = "scheduler running in this console" if data["scheduler"] else \
            "no scheduler in this console (run-daemons elsewhere or --no-daemons)"
        self.say((f"{self.last_action} · " if self.last_action else "")
                 + f"{len(data['rows'])} jobs · {failed} failed last time · {where}"
                 + ("" if self.app.user.has(CONTROL) else " · read-only"), error=self.last_action_failed)
        self.refresh_bindings()

    def selected_job(self) -> str | None:
        return selected_key(self.query_one("#jobs", DataTable))

    def action_run_now(self) -> None:
        job = self.selected_job()
        if job is None:
            return
        if not self.app.user.has(CONTROL):
            self.say("Running a job needs the jobs.control capability.", error=True)
            return
        self.say(f"Running {job} ...")
        self._run_now(job)

    @work(thread=True, group="ops-run-now")
    def _run_now(self, job: str) -> None:
        try:
            if self.app.daemons is not None:
                result = self.app.daemons.run_now(job)
            else:
                from ..backend.scheduler import run_job

                result = run_job(self.dbs, job, clock=self.app.clock)
        except Exception as exc:
            self.app.call_from_thread(self._service_failed, error_text(exc), None)
            return
        self.app.call_from_thread(self._ran, result)

    def _ran(self, result) -> None:
        counts = ", ".join(f"{k} {v}" for k, v in result.counts.items()) or "nothing to do"
        message = f"{result.job_name}: {result.outcome}" + (f" ({result.error})" if result.error else f" · {counts}")
        self.last_action, self.last_action_failed = message, result.outcome == "failed"
        self.say(message, error=self.last_action_failed)
        self.app.notify(message, severity="error" if result.outcome == "failed" else "information", timeout=6)
        self.refresh_view()

    def _pause_or_resume(self, pause: bool) -> None:
        job = self.selected_job()
        if job is None:
            return
        if not self.app.user.has(CONTROL):
            self.say("Pausing a job needs the jobs.control capability.", error=True)
            return
        daemons = self.app.daemons
        if daemons is None or not daemons.running:
            self.say("The automations are not running in this console (--no-daemons or the config switch); "
                     "pause and resume work on the embedded scheduler.", error=True)
            return
        try:
            (daemons.pause if pause else daemons.resume)(job)
        except GenimsError as exc:
            self.say(error_text(exc), error=True)
            return
        self.last_action, self.last_action_failed = f"{job} {'paused' if pause else 'resumed'}", False
        self.say(self.last_action)
        self.refresh_view()

    def action_pause(self) -> None:
        self._pause_or_resume(True)

    def action_resume(self) -> None:
        self._pause_or_resume(False)

    @on(DataTable.RowSelected, "#jobs")
    def _open_runs(self, event: DataTable.RowSelected) -> None:
        event.stop()
        job = event.row_key.value
        if job:
            self.app.push_screen(JobRunsScreen(job))


class JobRunsScreen(Screen):
    """A job's recent runs (bounded), with its counts by outcome; the highlighted run's error below."""

    DEFAULT_CSS = """
    JobRunsScreen #summary { height: auto; padding: 0 1; }
    JobRunsScreen #runs { height: 1fr; }
    JobRunsScreen #run-detail { height: auto; max-height: 8; padding: 0 1; border-top: solid $panel; }
    """
    BINDINGS = [Binding("escape", "app.back", "Back")]

    def __init__(self, job: str) -> None:
        super().__init__()
        self.job = job
        self.runs: dict[str, dict[str, Any]] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(f"Runs of {self.job}", style="bold"), id="summary")
        table = DataTable(cursor_type="row", zebra_stripes=True, id="runs")
        for key, label in (("run", "Run"), ("started", "Started"), ("finished", "Finished"), ("took", "Took"),
                           ("outcome", "Outcome"), ("rows", "Rows"), ("counts", "Counts"), ("error", "Error")):
            table.add_column(label, key=key)
        yield table
        yield Static("", id="run-detail")
        yield StatusLine()
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"{self.job}: recent runs"
        self.query_one("#runs", DataTable).focus()
        self.query_one(StatusLine).say("Loading ...")
        self._load()

    @work(thread=True, exclusive=True, group="job-runs")
    def _load(self) -> None:
        from ..backend.monitoring import recent_runs

        try:
            data = recent_runs(self.app.dbs, self.job, RUNS_SHOWN)
        except Exception as exc:
            self.app.call_from_thread(self.query_one(StatusLine).say, error_text(exc), True)
            return
        self.app.call_from_thread(self._show, data)

    def _show(self, data: dict[str, Any]) -> None:
        counts = data["counts"]
        summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items())) or "no runs yet"
        self.query_one("#summary", Static).update(Text.assemble(
            (f"Runs of {self.job}", "bold"), f"  ·  {data['total']} in all: {summary}"
            + (f"  ·  the newest {len(data['runs'])} below" if data["total"] > len(data["runs"]) else "")))
        self.runs = {str(r["run_id"]): r for r in data["runs"]}

        def cells(r: dict[str, Any]) -> list:
            counts_text = ", ".join(f"{k} {v}" for k, v in (r["counts"] or {}).items())
            took = r["duration_seconds"]
            return [str(r["run_id"]), cell(r["started_at"]), cell(r["finished_at"]),
                    "—" if took is None else f"{took:.1f}s", outcome_text(r["outcome"]), str(r["rows_touched"] or 0),
                    cell(counts_text or None), Text((r["error"] or "").splitlines()[0][:60] if r["error"] else "",
                                                    style="red")]

        refill(self.query_one("#runs", DataTable), data["runs"], lambda r: str(r["run_id"]), cells)
        self.query_one(StatusLine).say(f"{len(data['runs'])} runs shown · Esc back")
        self._detail()

    @on(DataTable.RowHighlighted, "#runs")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail()

    def _detail(self) -> None:
        run = self.runs.get(selected_key(self.query_one("#runs", DataTable)) or "")
        text = Text()
        if run is not None and run["error"]:
            text = Text.assemble(("Error: ", "bold red"), run["error"])
        elif run is not None:
            text = Text(f"Run {run['run_id']} on {run['host'] or '?'} (pid {run['pid'] or '?'}): {run['outcome']}",
                        style="dim")
        self.query_one("#run-detail", Static).update(text)


# -- ops.log ---------------------------------------------------------------------------------------------


class LogPane(DataView):
    help_text = ("The daemons' log, newest at the bottom (at most 1000 lines kept). f follows new lines on or "
                 "off, j filters by job (empty: every job), l cycles the level (all, warning and worse, errors), "
                 "/ filters by text.")
    BINDINGS = [
        Binding("f", "toggle_follow", "Follow"),
        Binding("j", "job_filter", "Job"),
        Binding("l", "cycle_level", "Level"),
        Binding("slash", "text_filter", "Text"),
    ]
    DEFAULT_CSS = """
    LogPane #log-filters { height: 1; padding: 0 1; background: $panel; }
    LogPane #log-input { display: none; height: 3; }
    LogPane.-asking #log-input { display: block; }
    """
    LEVELS = ("all", "warning", "error")

    def __init__(self) -> None:
        super().__init__()
        self.follow = True
        self.job: str | None = None
        self.level = "all"
        self.text = ""
        self.asking: str | None = None  # "job" or "text" while the input box is open
        self.generation = 0  # bumped when a filter changes: reads started before are dropped
        self.read_generation = -1  # the generation whose lines the pane shows
        self.after_id = 0
        self.job_names: list[str] = []

    def compose(self) -> ComposeResult:
        yield Static("", id="log-filters")
        yield Input(id="log-input")
        yield LiveLog(id="log")
        yield StatusLine()

    def on_mount(self) -> None:
        self._describe()
        self.set_interval(1.0, self._tick, name="log-follow")

    def focus_default(self) -> None:
        self.query_one(LiveLog).focus()

    @property
    def pane(self) -> LiveLog:
        return self.query_one(LiveLog)

    def _shown(self) -> bool:
        screen = self.screen
        return self.app.screen is screen and getattr(screen, "current_view", lambda: None)() is self

    def _tick(self) -> None:
        if self.follow and self.loaded_once and self._shown():
            self.refresh_view()

    def fetch(self) -> tuple[int, list[dict[str, Any]] | None, list[str]]:
        from ..backend.monitoring import tail_daemon_log

        names = self.job_names
        if not names:
            from ..backend.scheduler import registry

            names = list(registry())
        generation, after = self.generation, self.after_id
        if not self.follow and self.loaded_once and self.read_generation == generation:
            return generation, None, names  # paused: nothing new is read until f (a new filter reads once)
        rows = tail_daemon_log(self.dbs, after_id=after or None, limit=LOG_READ, job=self.job,
                               min_level=self.level, text=self.text or None)
        return generation, rows, names

    def show(self, data) -> None:
        generation, rows, names = data
        self.job_names = names
        if generation != self.generation:
            return
        if rows is not None:
            self.read_generation = generation
        if rows:
            self.pane.add_lines(rows)
            self.after_id = self.pane.last_id
        self._describe()

    def _describe(self) -> None:
        level = {"all": "all", "warning": "warning+", "error": "error"}[self.level]
        parts = [Text("following" if self.follow else "paused", style="bold green" if self.follow else "bold yellow"),
                 Text(f"  job: {self.job or 'all'}  level: {level}  text: {self.text or '—'}")]
        self.query_one("#log-filters", Static).update(Text.assemble(*parts))
        shown = len(self.pane.rows)
        self.say(f"{shown} lines" + (" (newest 1000 kept)" if shown >= self.pane.max_lines else "")
                 + ("" if self.follow else " · f follows again"))

    def _filters_changed(self) -> None:
        self.generation += 1
        self.after_id = 0
        self.pane.reset()
        self._describe()
        self.refresh_view()

    def action_toggle_follow(self) -> None:
        self.follow = not self.follow
        self.pane.follow = self.follow
        self._describe()
        if self.follow:
            self.refresh_view()

    def action_cycle_level(self) -> None:
        self.level = self.LEVELS[(self.LEVELS.index(self.level) + 1) % len(self.LEVELS)]
        self._filters_changed()

    def _ask(self, what: str, value: str, placeholder: str, suggestions: list[str] | None = None) -> None:
        box = self.query_one("#log-input", Input)
        self.asking = what
        box.placeholder = placeholder
        box.suggester = SuggestFromList(suggestions, case_sensitive=False) if suggestions else None
        box.value = value
        self.add_class("-asking")
        box.focus()

    def action_job_filter(self) -> None:
        self._ask("job", self.job or "", "job name (Tab completes; empty: every job; Enter applies, Esc closes)",
                  self.job_names)

    def action_text_filter(self) -> None:
        self._ask("text", self.text, "text in the message (empty: no text filter; Enter applies, Esc closes)")

    def _close_input(self) -> None:
        self.asking = None
        self.remove_class("-asking")
        self.pane.focus()

    @on(Input.Submitted, "#log-input")
    def _input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        what = self.asking
        self._close_input()
        if what == "job":
            if value and self.job_names and value not in self.job_names:
                self.say(f"There is no job called {value!r}.", error=True)
                return
            self.job = value or None
        elif what == "text":
            self.text = value
        self._filters_changed()

    def key_escape(self, event) -> None:
        if self.asking:
            event.stop()
            self._close_input()


# -- ops.sync --------------------------------------------------------------------------------------------


class SyncPane(DataView):
    help_text = ("Every cross-database integration: how many items wait, the age of the oldest, retries, dead "
                 "letters, the last success and the latency from creation to completion (recent items). "
                 "Enter lists the integration's dead letters.")

    def compose(self) -> ComposeResult:
        yield SyncStatusTable(id="sync")
        yield Static(Text("Enter: dead letters of the integration", style="dim"), id="sync-hint")
        yield StatusLine()

    DEFAULT_CSS = """
    SyncPane #sync { height: auto; max-height: 1fr; }
    SyncPane #sync-hint { padding: 0 1; }
    """

    def focus_default(self) -> None:
        self.query_one(SyncStatusTable).focus()

    def fetch(self) -> dict[str, Any]:
        from ..backend.monitoring import sync_overview

        now = self.app.clock()
        return {"now": now, "rows": sync_overview(self.dbs, now)}

    def show(self, data: dict[str, Any]) -> None:
        self.query_one(SyncStatusTable).show_rows(data["rows"], data["now"])
        dead = sum(r["dead_letters"] or 0 for r in data["rows"])
        waiting = sum(r["queue_depth"] or 0 for r in data["rows"])
        broken = [r["title"] for r in data["rows"] if r["error"]]
        self.say(f"{waiting} items waiting · {dead} dead letters"
                 + (f" · cannot read: {', '.join(broken)}" if broken else ""), error=bool(broken))

    @on(DataTable.RowSelected, "#sync")
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self.query_one(SyncStatusTable).current()
        if row is not None:
            self.app.push_screen(DeadLettersScreen(row["integration"], row["title"]))


class DeadLettersScreen(Screen):
    """An integration's dead letters (bounded); Enter shows one's error, `R` requeues it after a yes."""

    DEFAULT_CSS = """
    DeadLettersScreen #dl-title { height: auto; padding: 0 1; }
    DeadLettersScreen #letters { height: 1fr; }
    DeadLettersScreen #dl-detail { height: auto; max-height: 12; padding: 0 1; border-top: solid $panel; }
    """
    BINDINGS = [Binding("escape", "app.back", "Back"), Binding("R", "requeue", "Requeue")]

    def __init__(self, integration: str, title: str) -> None:
        super().__init__()
        self.integration, self.integration_title = integration, title
        self.letters: dict[str, dict[str, Any]] = {}

    @property
    def requeueable(self) -> bool:
        from ..backend.monitoring import REQUEUEABLE

        return self.integration in REQUEUEABLE

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "requeue":
            user = self.app.user
            return bool(self.requeueable and user is not None and user.can(SYNC_DB, "write"))
        return True

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(Text(f"{self.integration_title}: dead letters", style="bold"), id="dl-title")
        table = DataTable(cursor_type="row", zebra_stripes=True, id="letters")
        for key, label in (("key", "Item"), ("reference", "Reference"), ("what", "What"), ("attempts", "Attempts"),
                           ("at", "Last attempt"), ("error", "Error")):
            table.add_column(label, key=key)
        yield table
        yield Static("", id="dl-detail")
        yield StatusLine()
        yield Footer()

    def on_mount(self) -> None:
        self.sub_title = f"{self.integration_title}: dead letters"
        self.query_one("#letters", DataTable).focus()
        self.query_one(StatusLine).say("Loading ...")
        self.reload()

    def say(self, message: str, error: bool = False) -> None:
        self.query_one(StatusLine).say(message, error)

    def reload(self) -> None:
        self._load()

    @work(thread=True, exclusive=True, group="dead-letters")
    def _load(self) -> None:
        from ..backend.monitoring import NOT_REQUEUEABLE_HINT, dead_letters

        try:
            rows = dead_letters(self.app.dbs, self.integration, DEAD_LETTERS_SHOWN)
        except Exception as exc:
            self.app.call_from_thread(self.say, error_text(exc), True)
            return
        self.app.call_from_thread(self._show, rows, NOT_REQUEUEABLE_HINT.get(self.integration))

    def _show(self, rows: list[dict[str, Any]], hint: str | None) -> None:
        self.letters = {r["key"]: r for r in rows}

        def cells(r: dict[str, Any]) -> list:
            first_line = (r["error"] or "").splitlines()[0] if r["error"] else ""
            return [r["key"], cell(r["reference"]), cell(r["what"]), cell(r["attempts"]), cell(r["at"]),
                    Text(first_line[:70], style="red")]

        refill(self.query_one("#letters", DataTable), rows, lambda r: r["key"], cells)
        if not rows:
            self.say("No dead letters." + (f" {hint}" if hint and not self.requeueable else ""))
        else:
            can = self.check_action("requeue", ())
            bounded = f" (the oldest {DEAD_LETTERS_SHOWN})" if len(rows) >= DEAD_LETTERS_SHOWN else ""
            self.say(f"{len(rows)} dead letters{bounded}"
                     + " · Enter: the error" + (" · R: requeue" if can else "")
                     + (f" · {hint}" if hint and not self.requeueable else ""))
        self._preview()
        self.refresh_bindings()

    def selected(self) -> dict[str, Any] | None:
        return self.letters.get(selected_key(self.query_one("#letters", DataTable)) or "")

    @on(DataTable.RowHighlighted, "#letters")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._preview()

    def _preview(self) -> None:
        row = self.selected()
        self.query_one("#dl-detail", Static).update(
            Text.assemble((f"{row['key']}: ", "bold"), (row["error"] or "", "red")) if row else Text(""))

    @on(DataTable.RowSelected, "#letters")
    def _open(self, event: DataTable.RowSelected) -> None:
        event.stop()
        row = self.selected()
        if row is not None:
            self._load_detail(row["key"])

    @work(thread=True, group="dead-letter-detail")
    def _load_detail(self, key: str) -> None:
        from ..backend.monitoring import dead_letter_detail

        try:
            detail = dead_letter_detail(self.app.dbs, self.integration, key)
        except Exception as exc:
            self.app.call_from_thread(self.say, error_text(exc), True)
            return
        self.app.call_from_thread(self._show_detail, detail)

    def _show_detail(self, d: dict[str, Any]) -> None:
        text = Text.assemble((f"{d['key']}", "bold"), f"  {d['status']}  reference {d.get('reference') or '—'}  "
                             f"attempts {d.get('attempts') if d.get('attempts') is not None else '—'}\n",
                             ("Error: ", "bold red"), (d.get("error") or "(no message)", "red"))
        for h in d.get("history") or []:
            text.append(f"\n  {cell(h.get('error_timestamp'))}  {h.get('error_type') or ''}  "
                        f"{h.get('error_status') or ''}: {h.get('error_message') or ''}", style="dim")
        if not d["requeueable"] and d.get("hint"):
            text.append(f"\n{d['hint']}", style="italic")
        self.query_one("#dl-detail", Static).update(text)

    def action_requeue(self) -> None:
        row = self.selected()
        if row is None or not self.check_action("requeue", ()):
            return
        key = row["key"]
        self.app.push_screen(ConfirmDialog(f"Requeue {key} ({row['reference'] or ''})? It goes back to pending "
                                           "with its retries reset, and the next sync run applies it."),
                             callback=lambda yes: self._requeue(key) if yes else None)

    @work(thread=True, group="dead-letter-requeue")
    def _requeue(self, key: str) -> None:
        from ..backend.monitoring import requeue_dead_letter

        try:
            requeue_dead_letter(self.app.service_context(), self.integration, key)
        except Exception as exc:
            message = error_text(exc)
            self.app.call_from_thread(self.say, message, True)
            self.app.call_from_thread(self.app.notify, message, severity="error", timeout=8)
            return
        self.app.call_from_thread(self._requeued, key)

    def _requeued(self, key: str) -> None:
        self.app.notify(f"{key} requeued: pending again.")
        self.reload()


# -- ops.health ------------------------------------------------------------------------------------------


def _number(value: Any) -> str:
    if value is None:
        return "—"
    return cell(value) if not isinstance(value, float) else f"{value:.1f}"


class HealthPane(DataView):
    help_text = ("Seed 002's health checks per daemon, computed from the data: a check whose threshold is "
                 "crossed is red; one whose data cannot be read says why.")

    def compose(self) -> ComposeResult:
        table = DataTable(cursor_type="row", zebra_stripes=True, id="health")
        for key, label in (("daemon", "Daemon"), ("metric", "Metric"), ("value", "Value"), ("rule", "Alert when"),
                           ("status", "Status"), ("detail", "Detail")):
            table.add_column(label, key=key)
        yield table
        yield StatusLine()

    def focus_default(self) -> None:
        self.query_one("#health", DataTable).focus()

    def fetch(self) -> list[Any]:
        from ..backend.health import evaluate_health

        return evaluate_health(self.dbs, self.app.clock())

    def show(self, checks: list[Any]) -> None:
        def cells(c: Any) -> list:
            available = getattr(c, "available", True)
            style = "" if c.ok else "bold red"
            unit = f" {c.unit}" if c.unit and c.value is not None else ""
            rule = getattr(c, "rule", "") or f"{c.threshold} {c.unit}".strip()
            status = Text("OK", style="green") if c.ok else Text("CROSSED" if available else "UNREADABLE",
                                                                 style="bold white on red")
            return [Text(c.daemon, style=style), Text(c.metric, style=style),
                    Text(f"{_number(c.value)}{unit}", style=style), Text(rule, style=style), status,
                    Text(c.detail or "", style="red" if not c.ok else "dim")]

        refill(self.query_one("#health", DataTable), checks, lambda c: c.key, cells)
        crossed = [c for c in checks if not c.ok]
        self.say(f"{len(checks)} checks · " + (f"{len(crossed)} crossed: {', '.join(c.key for c in crossed)}"
                                                if crossed else "all within their thresholds"), error=bool(crossed))


# -- ops.alerts ------------------------------------------------------------------------------------------


SEVERITY_STYLES = {"critical": "bold white on red", "high": "bold red", "warning": "yellow", "info": "dim"}


class AlertsPane(DataView):
    help_text = ("The open alerts raised by the daemons and the health checks, newest first. With the "
                 "jobs.control capability, a acknowledges the selected alert (it stays open until its "
                 "condition is gone).")
    BINDINGS = [Binding("a", "acknowledge", "Acknowledge")]

    def compose(self) -> ComposeResult:
        table = DataTable(cursor_type="row", zebra_stripes=True, id="alerts")
        for key, label in (("raised", "Raised"), ("severity", "Severity"), ("source", "Source"), ("ack", "Ack"),
                           ("message", "Message")):
            table.add_column(label, key=key)
        yield table
        yield StatusLine()

    def focus_default(self) -> None:
        self.query_one("#alerts", DataTable).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "acknowledge":
            return bool(self.app.user and self.app.user.has(CONTROL))
        return True

    def fetch(self) -> list[dict[str, Any]]:
        from ..backend.alerts import open_alerts

        return open_alerts(self.dbs, limit=200)

    def show(self, alerts: list[dict[str, Any]]) -> None:
        def cells(a: dict[str, Any]) -> list:
            return [cell(a["raised_at"]), Text(a["severity"], style=SEVERITY_STYLES.get(a["severity"], "")),
                    a["source"], "yes" if a["acknowledged"] else Text("no", style="bold"),
                    cell(a["message"])]

        refill(self.query_one("#alerts", DataTable), alerts, lambda a: str(a["alert_id"]), cells)
        new = sum(1 for a in alerts if not a["acknowledged"])
        self.say(f"{len(alerts)} open alerts · {new} not acknowledged"
                 + (" (the newest 200)" if len(alerts) >= 200 else ""))
        self.refresh_bindings()

    def action_acknowledge(self) -> None:
        if not self.app.user.has(CONTROL):
            self.say("Acknowledging an alert needs the jobs.control capability.", error=True)
            return
        key = selected_key(self.query_one("#alerts", DataTable))
        if key is None:
            return
        self.run_service(_acknowledge, int(key), done=lambda ok: self._acknowledged(key, ok))

    def _acknowledged(self, key: str, ok: bool) -> None:
        self.say(f"Alert {key} acknowledged." if ok else f"Alert {key} is gone.")
        self.refresh_view()


def _acknowledge(ctx, alert_id: int) -> bool:
    from ..backend.alerts import acknowledge_alert

    ctx.require_capability(CONTROL, "Acknowledging an alert")
    return acknowledge_alert(ctx.dbs, alert_id)


# -- registration ----------------------------------------------------------------------------------------

for _view in (
    View("ops.daemons", "Daemons", "operations", DaemonMonitor,
         "every daemon job: last run, outcome, next run, success rate; run now, pause, resume", can_view, 10),
    View("ops.log", "Live log", "operations", LogPane, "the daemons' log, tailed; follow, filter by job/level/text",
         can_view, 20),
    View("ops.sync", "Sync status", "operations", SyncPane,
         "queues, retries, dead letters, last success and latency per integration", can_view, 30),
    View("ops.health", "Health", "operations", HealthPane, "seed 002's health checks, red when crossed", can_view, 40),
    View("ops.alerts", "Alerts", "operations", AlertsPane, "open alerts; acknowledge", can_view, 50),
):
    register_view(_view)
