"""`python -m kitgen` is the `kitgen` command."""

from kitgen.commands.cli import main

main()
