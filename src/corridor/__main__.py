"""``python -m corridor``: the same command as the ``corridor`` console script."""

from corridor.cli.app import main

main()
