"""Entry point for ``python -m gradtutor``."""

from gradtutor.cli import main

main()
