"""`python -m tools.soak --help` (`just soak`)."""

from tools.soak.run import main

raise SystemExit(main())
