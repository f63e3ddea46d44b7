import os

from hypothesis import HealthCheck, settings

# One profile for the whole suite: no per-example deadline (the first call of a vectorised
# solver may compile sympy/numpy code), and a bounded number of examples so that
# `make test` stays within minutes on a laptop.
settings.register_profile("default", deadline=None, max_examples=100,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("thorough", deadline=None, max_examples=2000,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
