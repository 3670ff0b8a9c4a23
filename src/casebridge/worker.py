"""Background work at a fixed interval: the retention sweep, expiring preservations, then a
signed audit checkpoint.

`casebridge serve` runs this loop in a thread beside the web server; `casebridge worker` runs it
alone, for deployments that scale the API out to several processes.
"""

import logging
import threading

from casebridge.audit import service as audit
from casebridge.bootstrap import Platform
from casebridge.cases import service as cases
from casebridge.legal import request_service as legal_requests

log = logging.getLogger("casebridge.worker")


def seal_once(platform: Platform) -> None:
    checkpoint = audit.seal(platform.uow("worker"), platform.signer)
    if checkpoint is not None:
        log.info("audit sealed at entry %s", checkpoint.seq)


def sweep_once(platform: Platform) -> None:
    reminded, purged = cases.sweep_retention(platform.uow("worker"))
    if reminded or purged:
        log.info("retention: %s owners asked to review, %s cases purged", reminded, purged)


def expire_once(platform: Platform) -> None:
    expired = legal_requests.expire_due(platform.uow("worker"))
    if expired:
        log.info("legal: %s preservations expired without a follow-up", expired)


def run(platform: Platform, stop: threading.Event) -> None:
    """Seal every `audit_checkpoint_seconds` until `stop` is set; a failure is logged, not fatal."""
    interval = platform.settings.audit_checkpoint_seconds
    while not stop.wait(interval):
        # The seal covers what the sweeps just logged.
        for job in (sweep_once, expire_once, seal_once):
            try:
                job(platform)
            except Exception:
                log.exception("%s failed; will retry", job.__name__)
