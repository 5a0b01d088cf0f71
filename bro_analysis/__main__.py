"""`python -m bro_analysis` is the command line `bro-analysis`."""

from bro_analysis.running.cli import main

raise SystemExit(main())
