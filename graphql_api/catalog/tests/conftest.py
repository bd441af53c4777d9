from catalog.tests.conftest import *  # noqa: F401,F403  (catalogue fixtures for the API tests)
