"""Every store's tables on the one MetaData: what migrations and the drift check compare."""

from casebridge.alerts import store as alerts_store
from casebridge.analytics import store as analytics_store
from casebridge.analytics import trends_store
from casebridge.audit import store as audit_store
from casebridge.capacity import store as capacity_store
from casebridge.cases import store as cases_store
from casebridge.collaboration import store as collaboration_store
from casebridge.dataprotection import store as dataprotection_store
from casebridge.db.metadata import metadata
from casebridge.evidence import store as evidence_store
from casebridge.identity import store as identity_store
from casebridge.intel import store as intel_store
from casebridge.interop import store as interop_store
from casebridge.interop.misp import store as misp_store
from casebridge.interop.taxii import store as taxii_store
from casebridge.legal import store as legal_store
from casebridge.markings import store as markings_store
from casebridge.notices import store as notices_store
from casebridge.operations import store as operations_store
from casebridge.partners import store as partners_store

STORES = (
    identity_store,
    audit_store,
    markings_store,
    cases_store,
    evidence_store,
    collaboration_store,
    dataprotection_store,
    intel_store,
    legal_store,
    notices_store,
    capacity_store,
    operations_store,
    alerts_store,
    partners_store,
    misp_store,
    interop_store,
    trends_store,
    analytics_store,
    taxii_store,
)

__all__ = ["STORES", "metadata"]
