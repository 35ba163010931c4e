"""Allows `python -m collapse_tui`."""

from collapse_tui.cli import main

if __name__ == "__main__":
    main()
