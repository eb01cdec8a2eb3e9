"""Optional C accelerators for the personal-data scan; everything else is in pyproject.toml.

Each extension does, in one pass over a string, what a pure-Python reader beside it
already does; the Python reader stays the reference and the fallback. ``optional``
lets an install without a C compiler or the Python headers go on: the package then
runs the pure-Python readers, with the same results at a lower speed
(docs/benchmarks.md, "Throughput"). CI installs both and tests them equal.
"""

from setuptools import Extension, setup

# -O2 is setuptools' default; the sources are C99 and use no compiler extensions.
ACCELERATORS = [
    Extension("egov_audit.pii._column_rules", ["egov_audit/pii/_column_rules.c"], optional=True),
    Extension("egov_audit.pii._grids", ["egov_audit/pii/_grids.c"], optional=True),
]

setup(ext_modules=ACCELERATORS)
