"""``unga import``: load recorded votes from the 1946-2019 tables and UN Digital Library CSVs."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from app.config import get_settings
from app.importers.errors import ImportFailed
from app.importers.load import ImportConflict, ImportReport
from app.importers.progress import (
    BarProgress,
    LogProgress,
    Progress,
    pause_after_rows_from_env,
)
from app.importers.runner import Job, all_jobs, run_import

import_cli = typer.Typer(
    help="Import recorded votes (all-or-nothing; importing a file twice changes nothing).",
    no_args_is_help=True,
)
err = Console(stderr=True)

DryRun = Annotated[bool, typer.Option("--dry-run", help="Validate and report; write nothing.")]
Force = Annotated[
    bool, typer.Option("--force", help="Import even if the file is unchanged since last time.")
]


def _progress() -> tuple[Progress, BarProgress | None]:
    pause = pause_after_rows_from_env()
    if err.is_terminal and pause is None:
        bar = BarProgress(err)
        return bar, bar
    return LogProgress(sys.stderr, pause_after_rows=pause), None


def _run(jobs: list[Job], *, dry_run: bool, force: bool) -> list[ImportReport]:
    url = get_settings().database_url
    reports = []
    for job in jobs:
        progress, bar = _progress()
        try:
            report = run_import(url, job, dry_run=dry_run, force=force, progress=progress)
        except ImportFailed as exc:
            if bar:
                bar.close()
            for row in exc.bad_rows:
                err.print(str(row), markup=False, highlight=False, soft_wrap=True)
            err.print(
                f"[red]{job.kind} {job.path}: {len(exc.bad_rows)} bad row(s); "
                "nothing was imported[/red]",
                soft_wrap=True,
            )
            raise typer.Exit(1) from exc
        except ImportConflict as exc:
            if bar:
                bar.close()
            err.print(f"[red]{job.kind} {job.path}: {exc}[/red]", soft_wrap=True)
            raise typer.Exit(1) from exc
        if bar:
            bar.close()
        typer.echo(report.summary())
        reports.append(report)
    return reports


@import_cli.command("unvotes")
def import_unvotes(
    folder: Annotated[Path, typer.Argument(help="Folder with roll_calls, votes and issues CSVs.")],
    dry_run: DryRun = False,
    force: Force = False,
) -> None:
    """Import the 1946-2019 roll calls (Voeten / unvotes layout, .csv or .csv.gz)."""
    _run([Job("unvotes", folder, "unvotes")], dry_run=dry_run, force=force)


@import_cli.command("undl")
def import_undl(
    file: Annotated[Path, typer.Argument(help="A UN Digital Library voting data CSV (or .gz).")],
    source: Annotated[str, typer.Option(help="Source slug to record (see sources).")] = "undl",
    dry_run: DryRun = False,
    force: Force = False,
) -> None:
    """Import a UN Digital Library "General Assembly Voting Data" CSV."""
    _run([Job("undl", file, source)], dry_run=dry_run, force=force)


@import_cli.command("all")
def import_all(
    data_dir: Annotated[Path, typer.Argument(help="The shared data folder (holding unga/).")],
    if_present: Annotated[
        bool, typer.Option("--if-present", help="Do nothing (exit 0) when the data is absent.")
    ] = False,
    dry_run: DryRun = False,
    force: Force = False,
) -> None:
    """Import unga/, then unga/recent/undl_2020_2021.csv.gz, then unga/recent2022/*.csv.gz;
    files unchanged since their last import are skipped."""
    jobs = all_jobs(data_dir)
    present = [j for j in jobs if j.files() and all(p.is_file() for p in j.files())]
    if len(present) < len(jobs):
        missing = [str(j.path) for j in jobs if j not in present]
        if not if_present:
            err.print(f"[red]not found: {', '.join(missing)}[/red]", soft_wrap=True)
            raise typer.Exit(1)
        if not present:
            typer.echo(f"no vote data in {data_dir}: nothing imported")
            return
        err.print(f"skipping what is not there: {', '.join(missing)}", soft_wrap=True)
    _run(present, dry_run=dry_run, force=force)
