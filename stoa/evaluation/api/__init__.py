"""API of the technology evaluation (TEF): criteria sets, evaluations and their parts, results,
sensitivity and the decision record. Same tenancy rules and same service functions as the pages."""
