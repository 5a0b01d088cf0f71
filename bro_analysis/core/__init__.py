"""The bottom layer: paths, the plan and settings files, periods, safe file writing.
Imports nothing else from the package."""
