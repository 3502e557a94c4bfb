"""`python -m generator` is the `briefing` command."""

from generator.edge.cli import main

main()
