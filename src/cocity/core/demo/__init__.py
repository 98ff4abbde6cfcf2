"""What every app's demo (``<app>/demo.py``) shares: the demo people's e-mail domain and password.

The network's demo (places, topics, organisations, spaces, people) is ``cocity/network/demo.py``.
"""

DEMO_PASSWORD = "cocity-demo"  # noqa: S105 - printed by `make demo`; demo data only
DEMO_DOMAIN = "demo.cocity.localhost"
