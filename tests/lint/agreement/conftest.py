"""The moto server, the loopback guard, the World builder and the package server of the live
checks' tests."""

from tests.live.conftest import local_aws, loopback_only, moto_url, stand_in, world  # noqa: F401
from tests.live.test_invoke_and_package import package_server  # noqa: F401
