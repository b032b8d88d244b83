"""python -m genims_tui: the same as the `genims` command."""

from .cli import main

main()
