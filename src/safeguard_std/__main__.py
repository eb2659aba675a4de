"""``python -m safeguard_std``: the command line."""

import sys

from safeguard_std.cli import main

sys.exit(main())
