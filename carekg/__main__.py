"""``python -m carekg`` runs the command line."""

from carekg.cli import main

main()
