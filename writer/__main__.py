"""Allow ``python -m writer`` as well as the ``writer`` console script."""

import sys

from writer.cli import main

sys.exit(main())
