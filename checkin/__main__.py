import sys

from checkin.cli.main import main

sys.exit(main())
