"""One error type per kind of failure, each rendered as `where: field: what to do`."""

from __future__ import annotations


class PipelineError(Exception):
    """Base class: a failure the user can act on."""

    def __init__(self, where: str, message: str, field: str | None = None) -> None:
        self.where = where
        self.field = field
        self.message = message
        super().__init__(self.render())

    def render(self) -> str:
        parts = [self.where]
        if self.field:
            parts.append(self.field)
        parts.append(self.message)
        return ": ".join(parts)


class DataFileError(PipelineError):
    """A gazetteer or rule file is missing or malformed."""


class InputError(PipelineError):
    """An article cannot be read or its metadata is invalid."""


class OutputError(PipelineError):
    """A result cannot be written."""


class ClusterError(PipelineError):
    """A Dask cluster cannot be reached or cannot run the extraction."""
