"""Extension points: how a lower layer lets a higher one take part without
importing it (DOMAIN.md's rules stay in the app that owns them).

A lower layer declares a ``Hook`` and calls it; a higher layer registers a
function on it when its app is ready. The export registry
(``core.xlsx.register_export``) follows the same idea for spreadsheets."""

from collections.abc import Callable


class Hook:
    """A named list of functions, called in the order they registered."""

    def __init__(self, name: str):
        self.name = name
        self._functions: list[Callable] = []

    def register(self, func: Callable) -> Callable:
        """Add ``func`` (once); usable as a decorator."""
        if func not in self._functions:
            self._functions.append(func)
        return func

    def __call__(self, *args, **kwargs) -> list:
        """Call every registered function; their results, in order."""
        return [func(*args, **kwargs) for func in self._functions]
