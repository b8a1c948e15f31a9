"""The ledger's exceptions: one root, each saying what went wrong and how to fix it."""
from __future__ import annotations

from datetime import date

from ledger.characters import escaped


class LedgerError(Exception):
    """Root of every error the ledger raises on purpose; its message is one line for a user.

    Whatever a message quotes (a name from a file, a row from an old ledger), control and bidirectional
    characters in it are escaped, so that it stays one line that reads as written.
    """

    exit_code = 1

    def __init__(self, message: str) -> None:
        message = escaped(message)
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class InvalidDecision(LedgerError):
    """A decision is malformed: a field is missing, unknown, of the wrong type or out of range."""

    def __init__(self, field: str, problem: str, line: int | None = None) -> None:
        self.field, self.problem, self.line = field, problem, line
        super().__init__(self._format())

    def at_line(self, line: int) -> InvalidDecision:
        """The same error, naming the input line it came from."""
        return InvalidDecision(self.field, self.problem, line)

    def _format(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        return f"{where}{self.field}: {self.problem}"


class RuleViolation(LedgerError):
    """A well-formed decision breaks a rule of RULES.md; `override_reason` records it anyway."""

    def __init__(
        self, rule: str, message: str, blocking: str | None = None, ends_on: date | None = None
    ) -> None:
        self.rule, self.blocking, self.ends_on, self.detail = rule, blocking, ends_on, message
        super().__init__(f"{message} ({rule}); use --override \"reason\" to record it anyway")


class NotFound(LedgerError):
    """A cadre, post or decision that the request names is not in the ledger."""


class StorageError(LedgerError):
    """The database cannot be used: a bad URL, an unreachable server, a read-only or full disk."""

    exit_code = 2


class ConcurrencyError(LedgerError):
    """Other writers kept changing the same record; the write was retried and gave up."""


class IntegrityFailure(LedgerError):
    """The stored log does not match its seals, or a checkpoint or proof does not verify."""


class UnusableInput(LedgerError):
    """A checkpoint, key or proof file cannot be read at all."""

    exit_code = 2


class ProjectionConflict(LedgerError):
    """Another process moved the read models' position first; this page was not applied."""
