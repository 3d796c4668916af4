"""Entry point of the PyInstaller bundle: the binary is the `checkin` command.

No arguments open the desktop app; `--version`, `selftest`, `scan` ... work as in a Python
install (see `checkin --help`).
"""

import multiprocessing
import sys

from checkin.cli.main import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # harmless unless something starts processes (Windows)
    sys.exit(main())
