"""Entry point for ``python -m settop``."""

from settop.cli import main

raise SystemExit(main())
