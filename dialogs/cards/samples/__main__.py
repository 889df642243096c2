"""``python -m dialogs.cards.samples OUT_DIR``: write every sample card (see the package)."""

import sys

from dialogs.cards.samples import main

sys.exit(main())
