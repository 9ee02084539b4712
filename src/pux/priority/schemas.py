"""The priority configuration as the API reads and writes it: the document the engine reads (see
default_config.json) with its revision, each part described and bounded as the service checks it."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from pux.priority.engine import MAX_GROUP_POINTS, MAX_WEIGHT
from pux.validation import CleanInput

Weight = Annotated[
    float,
    Field(
        ge=0,
        le=MAX_WEIGHT,
        description=f"From 0 to {MAX_WEIGHT:g}. Weights are relative: only their ratios count "
        "(0.45 and 45 weigh alike).",
    ),
]
GroupPoints = Annotated[
    float,
    Field(
        ge=0,
        le=MAX_GROUP_POINTS,
        description=f"From 0 to {MAX_GROUP_POINTS:g}: a country's groups together count at most "
        f"{MAX_GROUP_POINTS:g}.",
    ),
]
REVISION_DESCRIPTION = (
    "The revision of the configuration you read (GET /api/v1/priority/config), 0 while the shipped default "
    "applies. Required to save: once another configuration has been saved since, the save answers 409 and "
    "saves nothing. Not the document's own `version`, which numbers its format."
)


class _Written(CleanInput):
    # Every part closed: a misspelt key would be dropped and its weight or rule lost without a word.
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class IndicatorRuleWrite(_Written):
    code: str = Field(
        min_length=1,
        max_length=80,
        description="An indicator code of the catalogue; an optional rule may name one still to be imported.",
    )
    weight: Weight
    worse_when: Literal["higher", "lower"] | None = Field(
        default=None,
        description="'higher' when a higher value is worse (more pressing), 'lower' when a lower one is, for "
        "burden and capacity indicators alike; left out, the indicator catalogue's direction.",
    )
    optional: bool = Field(default=False, description="Its absence lowers no country's completeness.")


class AreaRulesWrite(_Written):
    burden: list[IndicatorRuleWrite] = Field(default=[], max_length=50)
    capacity: list[IndicatorRuleWrite] = Field(default=[], max_length=50)


class ComponentWeightsWrite(_Written):
    burden: Weight
    capacity: Weight
    assistance: Weight
    groups: Weight


def _revision_required(schema: dict[str, Any]) -> None:
    """The revision is described as required, though read as optional: a save without it is still checked,
    so that a client is told everything else wrong in its configuration along with the missing revision."""
    required = schema.setdefault("required", [])
    if isinstance(required, list) and "revision" not in required:
        required.insert(0, "revision")


class PriorityConfigWrite(_Written):
    """A whole configuration, replacing the one in force; `revision` says which one it was made from."""

    model_config = ConfigDict(json_schema_extra=_revision_required)

    revision: int | None = Field(default=None, ge=0, le=2**31 - 1, description=REVISION_DESCRIPTION)
    name: str = Field(default="custom", max_length=200)
    version: int = Field(default=1, description="The number of the document's format (1).")
    explanation: str = Field(
        default="",
        max_length=4000,
        description="How the score is computed, in the configuration's own words; empty: PUX's, translated.",
    )
    component_weights: ComponentWeightsWrite
    group_points: dict[str, GroupPoints] = Field(
        default={}, description="Points for the country groups LDC, LLDC and SIDS."
    )
    excluded_income_groups: list[str] = Field(
        default=["HIC"],
        max_length=4,
        description="Income groups (LIC, LMC, UMC, HIC) that are not recipients.",
    )
    areas: dict[str, AreaRulesWrite] = Field(description="The rules of each thematic area, by its code.")

    def document(self) -> dict[str, Any]:
        """The configuration as it is kept: what was sent, without the revision."""
        return self.model_dump(mode="json", exclude={"revision"}, exclude_unset=True)


class IndicatorRuleRead(BaseModel):
    code: str
    weight: float
    worse_when: str | None = None
    optional: bool = False


class AreaRulesRead(BaseModel):
    burden: list[IndicatorRuleRead] = []
    capacity: list[IndicatorRuleRead] = []


class PriorityConfigRead(BaseModel):
    """The configuration in force and its revision: send both back, changed, to replace it. (Unbounded: a
    configuration saved before the bounds is still read as it was saved.)"""

    revision: int = Field(description=REVISION_DESCRIPTION)
    name: str
    version: int = 1
    explanation: str = ""
    component_weights: dict[str, float] = Field(description="burden, capacity, assistance and groups")
    group_points: dict[str, float] = {}
    excluded_income_groups: list[str] = ["HIC"]
    areas: dict[str, AreaRulesRead]
