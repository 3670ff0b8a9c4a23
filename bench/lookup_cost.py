"""Where one audited hit/no-hit lookup spends its time, on a small SQLite index.

Run by hand: `PYTHONPATH=. .venv/bin/python bench/lookup_cost.py`. Prints the mean time of the
whole use case (`service.lookup`, one value), of its index query alone
(`known_sightings`, the policy-filtered read) and of the value read, then a profile.
"""

import cProfile
import pstats
import tempfile
import time
from pathlib import Path

from tests.conftest import _platform
from tests.world import build_world

from casebridge.bootstrap import upgrade_database
from casebridge.cases.taxonomy import IndicatorType
from casebridge.db.engine import make_engine
from casebridge.identity import service as identity
from casebridge.identity.reference import load_countries
from casebridge.intel import service
from casebridge.intel.model import IndexedValue
from casebridge.kernel.clock import utc_now

d = Path(tempfile.mkdtemp())
e = make_engine(f"sqlite:///{d}/t.sqlite3")
p = _platform(e, d, utc_now)
upgrade_database(p)
identity.seed_countries(p.uow(), load_countries())
w = build_world(p)
actor = w.actor("de.officer")
items = [service.LookupItem(f"x{i}.example-q.net", "domain") for i in range(1)]
for _ in range(20):
    service.lookup(p.uow(), actor, items, p.intel)
t = time.perf_counter()
for _ in range(200):
    service.lookup(p.uow(), actor, items, p.intel)
print("lookup ms", (time.perf_counter() - t) / 200 * 1000)
vid = [IndexedValue(IndicatorType.DOMAIN, "x0.example-q.net").id]
with p.uow() as uow:
    t = time.perf_counter()
    for _ in range(1000):
        uow.intel.known_sightings(actor, vid, None)
    print("known_sightings ms", (time.perf_counter() - t))  # 1000 calls: seconds = ms per call
    t = time.perf_counter()
    for _ in range(1000):
        uow.intel.values(vid)
    print("values ms", (time.perf_counter() - t))  # 1000 calls: seconds = ms per call
pr = cProfile.Profile()
pr.enable()
for _ in range(200):
    service.lookup(p.uow(), actor, items, p.intel)
pr.disable()
pstats.Stats(pr).sort_stats("cumulative").print_stats(25)
