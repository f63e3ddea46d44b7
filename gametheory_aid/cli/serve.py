"""The ``serve`` command: the classroom page (:mod:`gametheory_aid.serve`) on a local web server."""
from __future__ import annotations

import argparse

__all__ = ["register", "cmd_serve"]


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"--port {text!r}: needs an integer from 0 to 65535 (0: a free port)")
    return port


def cmd_serve(args) -> int:
    """Serve the page until Ctrl-C (which ends the command with the command line's exit status 130)."""
    from ..serve import serve

    serve(args.host, args.port, open_browser=args.open, lang=args.lang)
    return 0  # pragma: no cover - serve() returns only by raising KeyboardInterrupt


def register(sub, common) -> None:
    """Add ``serve`` to the subparsers ``sub`` (``common``: the parent parsers every subcommand takes)."""
    p = sub.add_parser("serve", parents=common, help="a local web page to explore the models in class",
                       description="A local web page for the classroom: pick a model, move the sliders of its "
                       "parameters and of digital transparency τ, and see the equilibrium table, the sentences and "
                       "the figure change, in English or Chinese. Ctrl-C stops the server.")
    p.add_argument("--host", default="127.0.0.1",
                   help="the address to listen on (default: 127.0.0.1, this machine only; another address is "
                   "reachable from the network and is warned about)")
    p.add_argument("--port", type=_port, default=8000, help="the port (default: 8000; 0 picks a free one)")
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="the page's first language (default: en)")
    p.add_argument("--open", action="store_true", help="open the page in the default web browser")
    p.set_defaults(func=cmd_serve)
