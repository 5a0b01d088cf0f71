"""The analysis: one package per area (numbers, text, tables, figures and an
`outcomes(ctx)` entry point), the key-result rules (okr), the registry that binds
the plan's mått to computations, the overview and the assumptions log."""
