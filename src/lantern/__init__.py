"""Lantern: the open platform where a red-envelope campaign, commerce, a robovan fleet,
an accelerator cluster and a multilingual assistant work together.

Each engine lives in its own subpackage with an explicit public API:

- :mod:`lantern.campaign`: envelopes, vouchers, pacing, double-entry ledger, audit.
- :mod:`lantern.commerce`: merchants, offers, orders.
- :mod:`lantern.fleet`: road networks, robovans, dispatch, delivery simulator.
- :mod:`lantern.compute`: accelerator catalogue, cluster scheduler, trace replay.
- :mod:`lantern.assistant`: tool-calling agent and LLM backends.
- :mod:`lantern.drill`: the full-link festival simulation.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
