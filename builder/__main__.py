"""`python -m builder` is the `coursewiki` command (handy where the script is not on PATH)."""
from .cli import main

main()
