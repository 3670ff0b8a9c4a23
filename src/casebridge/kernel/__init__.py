"""Pure shared building blocks: no other casebridge module, no framework, no database."""
