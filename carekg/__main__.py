"""``python -m carekg`` runs the command line."""

from .cli import main

main()
