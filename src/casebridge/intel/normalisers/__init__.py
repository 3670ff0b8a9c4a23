"""The normalisers behind `casebridge.intel.normalise`, one module per family of indicators."""
