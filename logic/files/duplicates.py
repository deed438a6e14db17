"""HSA-ids given more than once in a unit file, found in bounded memory, whatever its size."""

from __future__ import annotations

import heapq
import tempfile
from collections.abc import Iterator
from types import TracebackType
from typing import IO

RUN = 50_000  # (HSA-id, row) pairs held in memory at a time: a few megabytes


class Duplicates:
    """Collects every (HSA-id, row) of a file. Up to RUN pairs are held at a time; then they
    are written, sorted, to a temporary file (a "run"), and at the end the runs are merged:
    an id given twice is then two neighbours. A million units take some 30 MB of disk and a
    few MB of memory, where a set of the ids would hold about 120 MB."""

    def __init__(self, run: int = RUN) -> None:
        self._run = run
        self._pending: list[tuple[str, int]] = []
        self._files: list[IO[str]] = []

    def add(self, hsa_id: str, row: int) -> None:
        self._pending.append((hsa_id, row))
        if len(self._pending) >= self._run:
            self._spill()

    def found(self) -> Iterator[tuple[str, int, int]]:
        """(HSA-id, its first row, a later row with it), ordered by HSA-id."""
        self._pending.sort()
        runs = [iter(self._pending), *(self._read(f) for f in self._files)]
        previous, first = "", 0
        for hsa_id, row in heapq.merge(*runs):
            if hsa_id == previous:
                yield hsa_id, first, row
            else:
                previous, first = hsa_id, row

    def _spill(self) -> None:
        self._pending.sort()
        f = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115 (kept open until close())
        f.writelines(f"{hsa_id}\t{row}\n" for hsa_id, row in self._pending)
        self._files.append(f)
        self._pending = []

    @staticmethod
    def _read(f: IO[str]) -> Iterator[tuple[str, int]]:
        f.seek(0)
        for line in f:  # an HSA-id has passed its pattern: no tab, no line break
            hsa_id, row = line.rstrip("\n").split("\t")
            yield hsa_id, int(row)

    def close(self) -> None:
        for f in self._files:
            f.close()
        self._files = []

    def __enter__(self) -> Duplicates:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
