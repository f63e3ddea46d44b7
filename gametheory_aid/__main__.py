"""``python -m gametheory_aid``: the command line (:func:`gametheory_aid.cli.main`)."""
from .cli import main

raise SystemExit(main())
