import os

from hypothesis import HealthCheck, settings

# One profile for the whole suite: no per-example deadline (the first call of a vectorised
# solver may compile sympy/numpy code), and a bounded number of examples so that
# `make test` stays within minutes on a laptop.
settings.register_profile("default", deadline=None, max_examples=100,
                          suppress_health_check=[HealthCheck.too_slow])
# Continuous integration draws the same examples on every run, so that a red build always
# points at a reproducible failure; local runs keep exploring new examples.
settings.register_profile("ci", parent=settings.get_profile("default"), derandomize=True, print_blob=True)
settings.register_profile("thorough", deadline=None, max_examples=2000,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "default"))
