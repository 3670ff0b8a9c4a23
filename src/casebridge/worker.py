"""Background work: seal the audit log with a signed checkpoint at a fixed interval.

`casebridge serve` runs this loop in a thread beside the web server; `casebridge worker` runs it
alone, for deployments that scale the API out to several processes.
"""

import logging
import threading

from casebridge.audit import service as audit
from casebridge.bootstrap import Platform

log = logging.getLogger("casebridge.worker")


def seal_once(platform: Platform) -> None:
    checkpoint = audit.seal(platform.uow("worker"), platform.signer)
    if checkpoint is not None:
        log.info("audit sealed at entry %s", checkpoint.seq)


def run(platform: Platform, stop: threading.Event) -> None:
    """Seal every `audit_checkpoint_seconds` until `stop` is set; a failure is logged, not fatal."""
    interval = platform.settings.audit_checkpoint_seconds
    while not stop.wait(interval):
        try:
            seal_once(platform)
        except Exception:
            log.exception("sealing the audit log failed; will retry")
