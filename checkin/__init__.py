"""Welcome Desk's domain core: guests, check-ins, hosts. Never imports Qt."""

__version__ = "0.1.0"
