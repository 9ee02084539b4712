"""Knowledge and evidence: each nuclear technique against its conventional alternatives, the evidence
ledger, the return-on-investment calculator, success stories, myths and facts."""
