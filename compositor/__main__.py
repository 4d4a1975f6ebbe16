import sys

from compositor.cli import main

sys.exit(main())
