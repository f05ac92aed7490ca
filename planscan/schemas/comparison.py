"""Typed rows of a year-on-year comparison (``planscan diff --format json``).

``comparison.schema.json`` (one row, ``ComparisonRow``) and ``diff.schema.json`` (the whole
``--format json`` object, ``DiffOutput``) beside this file are generated and checked in (tests fail
when they are stale), so other tools can validate the diff output.
"""

from __future__ import annotations

from typing import Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, model_validator

from planscan.schemas.records import SCHEMA_VERSION, DocumentMeta

Consistency = Literal["consistent", "inconsistent", "unverifiable"]
RowClass = Literal["level", "target", "fulfilment", "change", "ratio_to_prior", "ratio_to_plan"]


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Cell(_Row):
    """One document's figure in a row, converted into the row's unit."""

    document: str = Field(description="Display name of the document (a unique path suffix).")
    value: float = Field(description="Value in the row's unit.")
    stated_value: float = Field(description="Value as the document states it.")
    stated_unit: str
    year: Optional[int] = None
    period: Optional[str] = None
    period_type: Optional[str] = Field(default=None, description="H1, 9M, Q1..Q4, Y, M<n>, multi:<a>-<b>.")
    kind: str = "actual"
    derived: bool = False
    indicator: str = Field(default="", description="The label in this document.")
    page: Optional[int] = None
    line: Optional[int] = None
    text: str = ""


class StatedCheck(_Row):
    """A newer document's statement about an earlier period (or about the plan it reports on),
    checked against the older document: the prior value it implies, or for "đạt N % kế hoạch"
    (ratio_to_plan) the target it implies, against the one the older plan set."""

    document: str = Field(description="The document that makes the statement.")
    statement: Literal["change", "ratio_to_prior", "prior_value", "ratio_to_plan"]
    stated: float = Field(description="The stated change, ratio (%) or prior value, as written.")
    stated_unit: str
    vs_year: Optional[int] = None
    text: str = ""
    implied: Optional[float] = Field(default=None, description="The prior figure the statement implies, in the row unit.")
    implied_low: Optional[float] = Field(default=None, description="Lower bound allowing for rounding of stated figures.")
    implied_high: Optional[float] = None
    found: Optional[float] = Field(default=None, description="The older document's own figure, in the row unit.")
    found_document: Optional[str] = None
    status: Consistency
    note: str = ""


class ComparisonRow(_Row):
    schema_version: str = SCHEMA_VERSION
    key: str
    label: str
    unit: str
    row_class: RowClass = Field(
        description="level (actual/estimate), target, fulfilment (target vs the actual of its year), or a relative kind."
    )
    cells: list[Optional[Cell]] = Field(
        description="One entry per document, oldest first (the order of DiffResult.documents); null when absent."
    )
    change: Optional[float] = Field(default=None, description="Last minus previous present value, in the row unit.")
    change_pct: Optional[float] = Field(default=None, description="change as % of the previous value.")
    fulfilment_pct: Optional[float] = Field(default=None, description="Actual as % of target (fulfilment rows).")
    flags: list[str] = Field(
        default_factory=list,
        description="period-mismatch, unit-converted, only-in-one-document, estimate, target, year-gap.",
    )
    checks: list[StatedCheck] = Field(default_factory=list)
    consistency: Optional[Consistency] = Field(
        default=None, description="inconsistent if any check is; consistent if any is and none fails; null without checks."
    )
    score: Optional[float] = Field(default=None, description="Pairing score (0-100+) of the latest pair.")
    change_unit: Optional[str] = Field(
        default=None, description="Unit of change: the row's unit, or 'pp' (percentage points) when the row is a rate in %."
    )

    @model_validator(mode="after")
    def _change_unit(self) -> "ComparisonRow":
        # a rate that goes from 40 % to 45 % changed by 5 percentage points, not by 5 %
        if self.change is not None and self.change_unit is None:
            self.change_unit = "pp" if self.unit.strip() == "%" else self.unit
        return self


class DiffDocument(_Row):
    """One compared document, as the JSON output names it."""

    name: str = Field(description="Display name, as in Cell.document.")
    path: str = Field(description="The input as given (a file, or a stored document's source).")
    sha256: Optional[str] = Field(default=None, description="Content hash of the input file.")
    metadata: Optional[DocumentMeta] = None


class DiffResult(_Row):
    documents: list[str]
    warnings: list[str] = Field(default_factory=list)
    rows: list[ComparisonRow]
    sources: list[DiffDocument] = Field(default_factory=list, description="Per document, in the order of documents.")


class DiffOutput(_Row):
    """``planscan diff --format json``: the documents compared, then one row per indicator."""

    schema_version: str = SCHEMA_VERSION
    documents: list[DiffDocument]
    warnings: list[str] = Field(default_factory=list)
    rows: list[ComparisonRow]
