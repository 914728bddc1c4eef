"""Errors the engine raises for bad input; front ends print them as one line."""


class AccordError(Exception):
    """A user-facing problem with a one-line message and an exit code."""

    exit_code = 1


class InputNotFound(AccordError):
    exit_code = 2


class NoArticles(AccordError):
    exit_code = 1


class QueryError(AccordError):
    exit_code = 2


class IndexBusy(AccordError):
    exit_code = 3


class StoreError(AccordError):
    """The annotation store cannot be opened or written: the analyst's work is at stake."""

    exit_code = 5


class AnnotationNotFound(StoreError):
    """An annotation id that is not in the store (deleted, perhaps by another Accord)."""

    exit_code = 2


class IndexDamaged(AccordError):
    """The rebuildable index (catalog or Whoosh) is damaged; a Library rebuilds it from
    the workspace's sources, so front ends see this only when that fails too."""

    exit_code = 1


class DiskFull(AccordError):
    """No space left: nothing is wiped or half-written, and work resumes when space returns."""

    exit_code = 6
