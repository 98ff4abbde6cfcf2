"""cocity: co-produce the city."""

__version__ = "0.1.0"
