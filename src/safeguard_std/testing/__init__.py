"""Test-time integrations: the pytest plugin and the Hypothesis registration hook."""
