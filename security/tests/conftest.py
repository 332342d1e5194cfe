from xinfang.testing import *  # noqa: F403
