"""`python -m tools.hostile OUT [--count N] [--seed S] [--hostile-share F] [--mutants-only]`."""

from tools.hostile.corpus import main

raise SystemExit(main())
