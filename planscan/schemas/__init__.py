"""Record types passed between stages, and their JSON Schemas (the contract with other tools)."""

from planscan.schemas.records import (  # noqa: F401
    BBox,
    Document,
    DocumentMeta,
    IndicatorRecord,
    Line,
    Page,
    Section,
    Word,
)
