import sys

from ecomraci.cli import main

sys.exit(main())
