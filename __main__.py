"""`python -m accord` runs the same entry point as the `accord` command."""

from accord.tui.start import main

raise SystemExit(main())
