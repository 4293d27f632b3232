import sys

from tools.eval_quality.run import main

sys.exit(main())
