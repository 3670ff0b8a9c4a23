"""Schemas shared by the data-protection API and CLI: what an owner sends to carry out a
granted correction (the person records as they should read, by id)."""

import uuid
from dataclasses import replace

from pydantic import BaseModel, ConfigDict, Field

from casebridge.cases.model import Person
from casebridge.cases.schemas import PersonIn


class In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CorrectedPersonIn(PersonIn):
    """A person record as it should read; `id` is the record's (from the case's `part_ids`)."""

    id: uuid.UUID

    def corrected(self) -> Person:
        return replace(self.to_model(), id=self.id)


class CarryOutIn(In):
    corrected_persons: list[CorrectedPersonIn] = Field(
        default=[], max_length=50, description="For a correction: the records as they should read"
    )
