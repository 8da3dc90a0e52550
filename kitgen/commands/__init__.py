"""The `kitgen` command line (cli) and the commands that are not the build itself (scaffold, listing)."""
