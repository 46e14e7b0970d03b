"""``python -m cronaca``: the same command line as ``cronaca``."""
from .cli import app

app(prog_name="cronaca")
