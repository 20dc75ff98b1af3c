"""The e-commerce capability maturity model behind `OrganisationProfile.maturity`.

Five levels on five dimensions, after the stage model in Chaffey's *E-Business and
E-Commerce Management* (table 5.11): each level has a name, and each dimension a short
name and description per level, written here in our own words so that the app, the
exports and the documentation describe a level the same way.

An organisation is at the level its weakest assessed dimension has reached (a stage
model: the next stage needs every dimension there), so the target for the next step is
that level plus one on every dimension.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import Enum
from typing import NamedTuple

from ecomraci.model import MaturityDimension

LEVELS = range(1, 6)

LEVEL_NAMES = {
    1: "Unplanned",
    2: "Diffuse management",
    3: "Centralised management",
    4: "Decentralised operations",
    5: "Integrated and optimised",
}

DIMENSION_NAMES = {
    MaturityDimension.STRATEGY_PROCESS.value: "Strategy process",
    MaturityDimension.STRUCTURE.value: "Structure",
    MaturityDimension.SENIOR_BUY_IN.value: "Senior buy-in",
    MaturityDimension.MARKETING_INTEGRATION.value: "Marketing integration",
    MaturityDimension.ONLINE_MARKETING_FOCUS.value: "Online marketing focus",
}

DIMENSION_QUESTIONS = {
    "strategy-process": "How are online objectives set, measured and improved?",
    "structure": "Where do the e-commerce people and skills sit?",
    "senior-buy-in": "How far is senior management involved?",
    "marketing-integration": "How closely do marketing and e-commerce work together?",
    "online-marketing-focus": "What does online marketing concentrate on?",
}


class LevelText(NamedTuple):
    name: str
    description: str


DESCRIPTIONS: dict[str, dict[int, LevelText]] = {
    "strategy-process": {
        1: LevelText("Limited", "No online objectives; the site is not tied to business goals."),
        2: LevelText(
            "Low-level",
            "Online is seen as an IT or marketing matter with few, loosely measured goals.",
        ),
        3: LevelText(
            "Specific objectives",
            "E-commerce has its own targets, reported and reviewed at regular intervals.",
        ),
        4: LevelText(
            "Refined performance",
            "Targets are reviewed monthly with marketing; "
            "projects are debriefed and reporting unified.",
        ),
        5: LevelText(
            "Multi-channel process",
            "The contribution of each channel is understood and resources follow it.",
        ),
    },
    "structure": {
        1: LevelText(
            "Experimentation",
            "No clear owner; online work is done ad hoc by whoever has the skills.",
        ),
        2: LevelText(
            "Diffuse", "Online skills are spread over departments with little coordination."
        ),
        3: LevelText(
            "Centralised", "A dedicated e-commerce team or manager acts as the centre of expertise."
        ),
        4: LevelText(
            "Decentralised",
            "Digital skills grow in the business units, with "
            "e-commerce run as one channel with its own P&L.",
        ),
        5: LevelText(
            "Integrated",
            "Most digital skills sit in the business; the core "
            "team keeps the front-end and platform know-how.",
        ),
    },
    "senior-buy-in": {
        1: LevelText("Limited", "Management is not involved and gives online little budget."),
        2: LevelText("Aware", "Management knows of the online channel and agrees some budget."),
        3: LevelText("Sponsorship", "A senior sponsor sets objectives and backs investment."),
        4: LevelText(
            "Driving performance", "Management reviews online performance at least monthly."
        ),
        5: LevelText(
            "Integral",
            "Online is part of normal planning; quarterly or half-yearly reviews are enough.",
        ),
    },
    "marketing-integration": {
        1: LevelText("Separate", "The website lives apart from the marketing plan."),
        2: LevelText(
            "Arm's length",
            "Online campaigns are run separately, often by an agency, with little joint planning.",
        ),
        3: LevelText("Cooperation", "Marketing and e-commerce plan campaigns together."),
        4: LevelText(
            "Partnership",
            "They work closely all year; media spend reflects the weight of online channels.",
        ),
        5: LevelText(
            "Complete",
            "Marketing has the full digital skill set and calls on "
            "agencies or specialists only as needed.",
        ),
    },
    "online-marketing-focus": {
        1: LevelText("Content", "Putting information online: a brochure site."),
        2: LevelText("Traffic", "Winning visitors through search, affiliates and campaigns."),
        3: LevelText(
            "Conversion", "Turning visitors into buyers: usability, checkout, conversion rates."
        ),
        4: LevelText(
            "Retention", "Analysing buying behaviour; e-mail and loyalty programmes keep customers."
        ),
        5: LevelText(
            "Optimisation",
            "Acquisition, conversion and retention improved "
            "together as platforms and experience evolve.",
        ),
    },
}


def _key(dimension: object) -> str:
    """A dimension's value, whether it is given as the enum member or as its value."""
    return dimension.value if isinstance(dimension, Enum) else str(dimension)


def describe(dimension: str | MaturityDimension, level: int) -> LevelText:
    """The name and description of `level` on `dimension`."""
    return DESCRIPTIONS[_key(dimension)][level]


def current_level(maturity: Mapping[object, int]) -> int | None:
    """The level the organisation has reached: that of its weakest assessed dimension,
    or None when nothing is assessed."""
    levels = [level for level in maturity.values() if level]
    return min(levels) if levels else None


def next_target(maturity: Mapping[object, int]) -> int | None:
    """The level every dimension should reach next (None when at the top or unassessed)."""
    level = current_level(maturity)
    if level is None or level >= max(LEVELS):
        return None
    return level + 1


def gaps(maturity: Mapping[object, int]) -> list[str]:
    """The dimensions (in model order) that are below the next target or unassessed."""
    target = next_target(maturity)
    levels = {_key(k): v for k, v in maturity.items()}
    return [
        d.value
        for d in MaturityDimension
        if d.value not in levels or (target is not None and levels[d.value] < target)
    ]
