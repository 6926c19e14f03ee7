"""API of requests for information: the city's RFIs and their parts, the vendors' answers and files,
demonstrations. Same tenancy rules and same services as the RFI pages."""
