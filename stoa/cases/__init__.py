"""Case studies: what a city did about a public space and what it learnt, shared between Stoa installations."""
