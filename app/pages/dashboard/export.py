"""CSV export of the tables behind the dashboard's figures.

``CsvExport(ctx, parent)``: ``ask_one(key, period, now)`` opens a save dialog for one
figure's table; ``ask_all(period, now)`` a folder dialog for every figure's (one file per
figure, ``<period>-<key>.csv``). The file dialogs are Qt's own, opened with ``open()`` (a
tablet's window stays responsive, and a test drives them as a person would). The tables
are read (``Cache.kpi_table``), turned into CSV (``sync.export.to_csv``: a header row,
formula-safe cells) and written in a worker thread (``app.background.spawn`` over
``asyncio.to_thread``), then the banner says where they went. A failure says what went
wrong at the point it happened (the disk is full, no permission to write there) on the
banner, and leaves no half-written file behind.

Signals: ``written(list)`` (the paths written), ``failed(str)`` (the message shown).
"""

from __future__ import annotations

import asyncio
import errno
import logging
from collections.abc import Sequence
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDir, QObject, Signal
from PySide6.QtWidgets import QFileDialog, QWidget

from app import background
from sync.errors import SyncError

if TYPE_CHECKING:
    from app.context import AppContext
    from sync.read.kpi_types import Period
    from sync.store import Cache

log = logging.getLogger("clienteling.ui")


class ExportFailed(SyncError):
    """The CSV could not be written; ``message`` says why, for the person."""


def _failure(exc: OSError, path: Path) -> ExportFailed:
    where = str(path.parent) or "."
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return ExportFailed(f"The disk is full: {path.name} could not be written to {where}.")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return ExportFailed(f"No permission to write in {where}: choose another folder.")
    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return ExportFailed(f"The folder {where} does not exist any more.")
    return ExportFailed(f"{path.name} could not be written ({exc.strerror or 'error'}).")


def write_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path``; an ``OSError`` becomes ``ExportFailed`` and the partial
    file is removed."""
    existed = path.exists()
    try:
        with path.open("w", encoding="utf-8", newline="") as out:
            out.write(text)
    except OSError as exc:
        if not existed and path.is_file():
            path.unlink(missing_ok=True)
        log.warning("CSV export failed: %s", errno.errorcode.get(exc.errno or 0, "?"))
        raise _failure(exc, path) from exc


def export_tables(
    cache: Cache,
    store_id: str,
    period: Period,
    now: datetime,
    targets: Sequence[tuple[str, Path]],
) -> list[Path]:
    """Read, convert and write each (figure key, file) of ``targets`` (a worker thread:
    no Qt here); the paths written."""
    from sync.export import to_csv

    written = []
    for key, path in targets:
        table = cache.kpi_table(key, store_id, period, now)
        write_text(path, to_csv(table))
        written.append(path)
    return written


def file_name(period: Period, key: str) -> str:
    return f"{period.kind}-{period.start.date().isoformat()}-{key}.csv"


class CsvExport(QObject):
    written = Signal(list)
    failed = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.parent_widget = parent
        self.dialog: QFileDialog | None = None  # the file dialog open now
        self.task: asyncio.Task[list[Path]] | None = None

    def _dialog(self, caption: str) -> QFileDialog:
        if self.dialog is not None:
            self.dialog.reject()  # one at a time
        dialog = QFileDialog(self.parent_widget, caption, QDir.homePath())
        dialog.setObjectName("CsvExportDialog")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.finished.connect(partial(self._closed, dialog))
        self.dialog = dialog
        return dialog

    def _closed(self, dialog: QFileDialog, _result: int) -> None:
        if self.dialog is dialog:
            self.dialog = None
        dialog.deleteLater()

    def ask_one(self, key: str, period: Period, now: datetime) -> QFileDialog:
        dialog = self._dialog(self.tr("Export the figure as CSV"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilter(self.tr("CSV files (*.csv)"))
        dialog.setDefaultSuffix("csv")
        dialog.selectFile(file_name(period, key))
        dialog.fileSelected.connect(lambda chosen: self.start([(key, Path(chosen))], period, now))
        dialog.open()
        return dialog

    def ask_all(self, keys: Sequence[str], period: Period, now: datetime) -> QFileDialog:
        dialog = self._dialog(self.tr("Export every figure as CSV: choose a folder"))
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        wanted = list(keys)

        def chosen(folder: str) -> None:
            self.start([(k, Path(folder) / file_name(period, k)) for k in wanted], period, now)

        dialog.fileSelected.connect(chosen)
        dialog.open()
        return dialog

    def start(self, targets: list[tuple[str, Path]], period: Period, now: datetime) -> None:
        """Write ``targets`` in a worker thread; the banner says how it went."""
        work = partial(export_tables, self.ctx.cache, self.ctx.store_id, period, now, targets)
        self.task = background.spawn(
            asyncio.to_thread(work), success=self._done, failure=self._failed
        )

    def _done(self, paths: list[Path]) -> None:
        if len(paths) == 1:
            text = self.tr("Exported to {path}").format(path=paths[0])
        else:
            text = self.tr("{n} CSV files exported to {folder}").format(
                n=len(paths), folder=paths[0].parent if paths else ""
            )
        self.ctx.messages.success(text, log_text="CSV exported")
        self.written.emit(paths)

    def _failed(self, error: SyncError) -> None:
        self.ctx.messages.error(error.message, log_text="CSV export failed")
        self.failed.emit(error.message)
