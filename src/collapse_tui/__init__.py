"""collapse-tui: an interactive narrative of the FTX/Alameda collapse, and the engine that plays it."""

__version__ = "0.1.0"
