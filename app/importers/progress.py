"""Progress reporting: a rich progress bar on a terminal, plain log lines otherwise."""

from __future__ import annotations

import os
import sys
import time
from typing import Protocol, TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.progress import (
    Progress as RichProgress,
)

PAUSE_ENV = "UNGA_IMPORT_PAUSE_AFTER_ROWS"


class Progress(Protocol):
    def phase(self, name: str, total: int | None = None) -> None: ...

    def advance(self, n: int = 1) -> None: ...

    def note(self, message: str) -> None: ...


class NullProgress:
    def phase(self, name: str, total: int | None = None) -> None:
        pass

    def advance(self, n: int = 1) -> None:
        pass

    def note(self, message: str) -> None:
        pass


class LogProgress:
    """One line per phase and about every tenth of it (for logs, CI and pipes)."""

    def __init__(self, stream: TextIO | None = None, *, pause_after_rows: int | None = None):
        self.stream = stream or sys.stderr
        self.name = ""
        self.total: int | None = None
        self.done = 0
        self.next_report = 0
        self.started = time.perf_counter()
        self.pause_after_rows = pause_after_rows

    def _write(self, text: str) -> None:
        self.stream.write(f"[{time.perf_counter() - self.started:6.1f}s] {text}\n")
        self.stream.flush()

    def phase(self, name: str, total: int | None = None) -> None:
        self.name, self.total, self.done = name, total, 0
        self.next_report = max((total or 0) // 10, 1) if total else 100_000
        self._write(f"{name}" + (f" ({total:,})" if total else ""))

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.done >= self.next_report:
            step = max((self.total or 0) // 10, 1) if self.total else 100_000
            self.next_report = self.done + step
            of = f"/{self.total:,}" if self.total else ""
            self._write(f"{self.name}: {self.done:,}{of}")
        pause = self.pause_after_rows
        if pause is not None and self.name.startswith("writing votes") and self.done >= pause:
            self._write(f"paused after {self.done:,} rows ({PAUSE_ENV})")
            self.pause_after_rows = None
            time.sleep(3600)

    def note(self, message: str) -> None:
        self._write(message)


class BarProgress:
    """A rich progress bar, one task per phase."""

    def __init__(self, console: Console) -> None:
        self.console = console
        self.bar = RichProgress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self.task: TaskID | None = None
        self.bar.start()

    def phase(self, name: str, total: int | None = None) -> None:
        if self.task is not None:
            self.bar.update(self.task, completed=self.bar.tasks[-1].total or 0)
        self.task = self.bar.add_task(name, total=total)

    def advance(self, n: int = 1) -> None:
        if self.task is not None:
            self.bar.advance(self.task, n)

    def note(self, message: str) -> None:
        self.console.print(message)

    def close(self) -> None:
        self.bar.stop()


def pause_after_rows_from_env() -> int | None:
    """Test hook: ``UNGA_IMPORT_PAUSE_AFTER_ROWS=N`` makes an import stop (sleep) once it
    has written N vote rows, inside its transaction, so a test can kill it there."""
    raw = os.environ.get(PAUSE_ENV)
    return int(raw) if raw and raw.isdigit() else None
