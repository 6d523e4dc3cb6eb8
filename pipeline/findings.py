"""What reading a block finds: dated statuses about places, before they are merged into records."""

from __future__ import annotations

from dataclasses import dataclass

from pipeline.blocks import Block
from pipeline.dates import ResolvedDate
from pipeline.records import DateSource
from pipeline.spans import Mention


@dataclass(frozen=True)
class Dated:
    """A date and where it came from: its mention, or none (the publication date, unknown)."""

    resolved: ResolvedDate
    source: DateSource
    mention: Mention | None
    looks_back: bool = False  # an earlier year than the narrative's, told as its past ('seized it in 2015')
    for_status_before: ResolvedDate | None = None  # 'Tolbek was taken the day after ...': Tolbek's day


UNDATED = Dated(ResolvedDate(None, "unknown", None), "none", None)


@dataclass(frozen=True)
class Candidate:
    """One status of one place, as one passage tells it; merged later with the others."""

    iso: str
    status: str
    dated: Dated
    block: Block
    evidence: tuple[int, int]
    place: Mention
    trigger: Mention | None
    claimed: bool
    disputed: bool
    actor: str | None
    attribution: str | None
    named: tuple[str, ...] = ()  # the actors its sentence names, for the other side of a retake
    approach: bool = False  # an entry or approach (see data.StatusRule), not fighting of its own
    repels: bool = False  # a retake by driving attackers out (see data.StatusRule)
