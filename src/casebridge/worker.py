"""Background work: alert deliveries every `alert_delivery_seconds` (webhooks go out promptly),
and at a fixed interval the retention sweep, the staging left by killed imports, expiring
preservations, ending notice suspensions, then a signed audit checkpoint.

`casebridge serve` runs this loop in a thread beside the web server; `casebridge worker` runs it
alone, for deployments that scale the API out to several processes.
"""

import logging
import threading
import time
from collections.abc import Callable
from datetime import timedelta

from casebridge.alerts import service as alerts
from casebridge.analytics import trends_service as trends
from casebridge.audit import service as audit
from casebridge.bootstrap import DataDirNotWritable, Platform, check_data_dir_writable
from casebridge.cases import service as cases
from casebridge.intel import staging
from casebridge.interop.taxii import remote as taxii_remote
from casebridge.interop.taxii import service as taxii
from casebridge.legal import request_service as legal_requests
from casebridge.notices import service as notices

log = logging.getLogger("casebridge.worker")


def seal_once(platform: Platform) -> None:
    checkpoint = audit.seal(platform.uow("worker"), platform.signer)
    if checkpoint is not None:
        log.info("audit sealed at entry %s", checkpoint.seq)


def sweep_once(platform: Platform) -> None:
    reminded, purged = cases.sweep_retention(platform.uow("worker"))
    if reminded or purged:
        log.info("retention: %s owners asked to review, %s cases purged", reminded, purged)


def staging_once(platform: Platform) -> None:
    """What killed bulk imports left staged, once older than the bound (issue 16, #13)."""
    max_age = timedelta(hours=platform.settings.intel_staging_max_hours)
    swept = staging.sweep_staging(platform.uow("worker"), max_age)
    if swept:
        log.info("intel: staging of %s abandoned imports swept", len(swept))


def expire_once(platform: Platform) -> None:
    expired = legal_requests.expire_due(platform.uow("worker"))
    if expired:
        log.info("legal: %s preservations expired without a follow-up", expired)


def suspensions_once(platform: Platform) -> None:
    ended = notices.sweep_suspensions(platform.uow("worker"))
    if ended:
        log.info("notices: %s suspensions ended (resumed or expired)", ended)


def deliver_once(platform: Platform) -> None:
    report = alerts.deliver_due(
        platform.uow("worker"),
        platform.alert_senders(),
        platform.credentials,
        platform.alert_delivery(),
    )
    if report.attempted or report.withheld:
        log.info(
            "alerts: %s delivered, %s to retry, %s dead, %s withheld",
            report.delivered,
            report.failed,
            report.dead,
            report.withheld,
        )


def trends_once(platform: Platform) -> None:
    """Emerging-threat detection for every complete day not yet processed."""
    for day in trends.pending_days(platform.uow("worker")):
        raised = trends.detect_emerging(platform.uow("worker"), day)
        if raised:
            log.info("trends: %s emerging threats raised for %s", len(raised), day)


def feeds_once(platform: Platform) -> None:
    """Pull what is new from every subscribed TAXII 2.1 collection."""
    results = taxii.pull_all(platform.uow("worker"), platform.credentials, taxii_remote.fetch)
    for result in results:
        if result.objects or result.error:
            log.info("taxii feed %s: %s objects %s", result.feed_id, result.objects, result.error)


def _guarded(job: Callable[[Platform], None], platform: Platform) -> None:
    try:
        job(platform)
    except Exception:
        log.exception("%s failed; will retry", job.__name__)


def _data_dir_unwritable(platform: Platform, *, paused: bool) -> bool:
    try:
        check_data_dir_writable(platform.settings)
    except DataDirNotWritable as error:
        if not paused:
            log.error("worker paused: %s", error)  # noqa: TRY400 - a state, not a fault
        return True
    return False


def run(platform: Platform, stop: threading.Event) -> None:
    """Until `stop` is set: deliver due alerts every `alert_delivery_seconds`; sweep and seal
    every `audit_checkpoint_seconds`. A failure is logged, not fatal."""
    interval = platform.settings.audit_checkpoint_seconds
    next_sweep = time.monotonic() + interval
    next_trends = time.monotonic()  # as data arrives: the first run at once
    next_feeds = time.monotonic()  # the first pull at once
    paused = False
    while not stop.wait(platform.settings.alert_delivery_seconds):
        if _data_dir_unwritable(platform, paused=paused):
            paused = True  # one line when it pauses, none each round (issue 16, defect 14)
            continue
        if paused:
            log.warning("worker resumed: the data directory takes writes again")
            paused = False
        _guarded(deliver_once, platform)
        if time.monotonic() >= next_feeds:
            next_feeds = time.monotonic() + platform.settings.taxii_feed_seconds
            _guarded(feeds_once, platform)
        if time.monotonic() >= next_trends:
            next_trends = time.monotonic() + platform.settings.trends_seconds
            _guarded(trends_once, platform)
        if time.monotonic() >= next_sweep:
            next_sweep = time.monotonic() + interval
            # The seal covers what the sweeps just logged.
            for job in (sweep_once, staging_once, expire_once, suspensions_once, seal_once):
                _guarded(job, platform)
