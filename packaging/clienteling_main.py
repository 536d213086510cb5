"""PyInstaller entry script for the frozen app: the same ``main()`` as ``clienteling``."""

import sys

from app.__main__ import main

if __name__ == "__main__":
    sys.exit(main())
