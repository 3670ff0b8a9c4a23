"""Per-user quotas over a moving window, kept by the `limits` library (in memory, or in Redis
when several server processes must share the counters)."""

import math
import time
import uuid

from limits import RateLimitItemPerMinute
from limits.storage import storage_from_string
from limits.strategies import MovingWindowRateLimiter

from casebridge.errors import TooManyRequests


class Quota:
    """`per_minute` units (looked-up values, say) per user per minute."""

    def __init__(self, name: str, per_minute: int, storage_url: str = "memory://") -> None:
        self._name = name
        self._item = RateLimitItemPerMinute(per_minute)
        self._limiter = MovingWindowRateLimiter(storage_from_string(storage_url))

    def spend(self, user_id: uuid.UUID, units: int) -> None:
        """Take `units` from the user's quota, or raise TooManyRequests (nothing is taken)."""
        if self._limiter.hit(self._item, self._name, str(user_id), cost=units):
            return
        reset, _ = self._limiter.get_window_stats(self._item, self._name, str(user_id))
        wait = max(1, math.ceil(reset - time.time()))
        limit = self._item.amount
        raise TooManyRequests(
            f"over the {self._name} quota of {limit} per minute; retry in {wait} s",
            retry_after=wait,
        )
