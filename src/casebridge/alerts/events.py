"""What a feature tells the alerts system when something happens (pure).

Features build an `AlertEvent` and hand it to `alerts.service.emit` in their own transaction.
The event carries the record's marking: each subscriber's access is decided from it when that
subscriber's alert is built, so a country that may not see the record never receives its
content (issue 6). `title` and `summary` are content: only a FULL reader gets them.
"""

import enum
import uuid
from dataclasses import dataclass
from datetime import datetime

from casebridge.kernel.marking import Marking


class Topic(enum.StrEnum):
    """What a subscription can ask for."""

    NOTICE = "notice"  # a notice published, updated, suspended, ended; filter: notice kind
    DIFFUSION = "diffusion"  # a diffusion received, or to be purged
    CASE = "case"  # a case shared with the subscriber's country; filter: case category
    INDICATOR = "indicator"  # indicators of a type shared; filter: indicator type
    HIT = "hit"  # someone's search matched the subscriber's own data
    # an access request to the subscriber's agency, or the owner's answer to one it sent
    ACCESS_REQUEST = "access_request"
    EMERGING = "emerging_threat"  # a burst of new cases or indicators (analytics.trends)
    FEED_PROBLEM = "feed_problem"  # a feed could not publish the subscriber's agency's event


@dataclass(frozen=True, slots=True)
class AlertEvent:
    topic: Topic
    action: str  # what happened, in a word: published, updated, received, purge, accepted, hit
    object_type: str  # notice, diffusion, case
    object_id: str
    marking: Marking  # the record's marking: who may read the content
    title: str  # content
    summary: str  # content
    link: str  # the web path of the record, e.g. /notices/{id}
    at: datetime
    notice_kind: str | None = None
    case_category: str | None = None
    indicator_types: frozenset[str] = frozenset()
    countries: frozenset[str] = frozenset()  # countries concerned, matched against regions
    # Only these countries' users are told (a diffusion's recipients); None: every member.
    audience_countries: frozenset[str] | None = None
    # Only these agencies' users are told (a hit on their own data); None: no such limit.
    audience_agencies: frozenset[uuid.UUID] | None = None
