"""Extension points: a lower app names one, higher apps add to it from their
`AppConfig.ready()`, and the lower app calls what was added without importing them
(dependencies point one way). The alliance pages' contributors, My work and the daily
jobs are registries."""

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T", bound=Callable)


class Registry(Generic[T]):
    """An ordered set of callables: each added once however often `add` runs (a test
    setting an app up again), called in the order they were added."""

    def __init__(self, name: str):
        self.name = name
        self._entries: list[T] = []

    def add(self, entry: T) -> T:
        """Add `entry` (once); returns it, so it can decorate a function."""
        if entry not in self._entries:
            self._entries.append(entry)
        return entry

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._entries))

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"<Registry {self.name}: {len(self)} entries>"
