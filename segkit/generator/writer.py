"""Chunked output: one Parquet row group (or CSV append) per chunk, written by a single
background thread so generation of the next chunk overlaps with compression and I/O."""

from __future__ import annotations

import queue
import threading
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pcsv
import pyarrow.parquet as pq


def plain_schema(schema: pa.Schema) -> pa.Schema:
    """The schema with dictionary-encoded string columns replaced by plain strings."""
    return pa.schema([pa.field(f.name, pa.string() if pa.types.is_dictionary(f.type) else f.type)
                      for f in schema])


class Sink:
    """Appends tables to one output file (parquet or csv); opened on the first write."""

    def __init__(self, path: Path, fmt: str) -> None:
        self.path, self.fmt = path, fmt
        self.writer: pq.ParquetWriter | pcsv.CSVWriter | None = None
        self.rows = 0

    def write(self, table: pa.Table) -> None:
        """Append one chunk."""
        if self.fmt == "csv":
            table = table.cast(plain_schema(table.schema))
        if self.writer is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.fmt == "csv":
                opts = pcsv.WriteOptions(include_header=True, quoting_style="needed")
                self.writer = pcsv.CSVWriter(str(self.path), table.schema, write_options=opts)
            else:
                # no column statistics: they cost ~40% of the write time and the raw files
                # are always read in full; store_schema=False keeps dictionary columns plain
                self.writer = pq.ParquetWriter(str(self.path), table.schema, compression="zstd",
                                               write_statistics=False, store_schema=False)
        self.writer.write_table(table, **({} if self.fmt == "csv" else
                                          {"row_group_size": max(len(table), 1)}))
        self.rows += len(table)

    def close(self, empty_schema: pa.Schema | None = None) -> None:
        """Finish the file (writing an empty file with header/schema if nothing came)."""
        if self.writer is None and empty_schema is not None:
            self.write(empty_schema.empty_table())
        if self.writer is not None:
            self.writer.close()


class BackgroundWriter:
    """FIFO of (sink name, table) consumed by one thread; bounded to keep memory flat."""

    def __init__(self, sinks: dict[str, Sink], max_pending: int = 12) -> None:
        self.sinks = sinks
        self.queue: queue.Queue = queue.Queue(maxsize=max_pending)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="segkit-writer", daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while True:
            item = self.queue.get()
            if item is None:
                return
            if self.error is None:
                try:
                    self.sinks[item[0]].write(item[1])
                except BaseException as exc:  # surfaced in put()/close()
                    self.error = exc

    def put(self, name: str, table: pa.Table) -> None:
        """Queue a chunk for writing (blocks while the queue is full)."""
        if self.error is not None:
            raise self.error
        self.queue.put((name, table))

    def close(self, schemas: dict[str, pa.Schema]) -> dict[str, int]:
        """Drain the queue, close every sink; returns rows written per sink."""
        self.queue.put(None)
        self.thread.join()
        if self.error is not None:
            raise self.error
        for name, sink in self.sinks.items():
            sink.close(schemas.get(name))
        return {name: sink.rows for name, sink in self.sinks.items()}
