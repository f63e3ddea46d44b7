"""``python -m gametheory_aid.cli``: the same command line as ``python -m gametheory_aid``."""
from . import main

raise SystemExit(main())
