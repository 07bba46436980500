"""Package discovery that pyproject.toml cannot express: the top-level ``adapters/`` folder ships as
``lf_middleware.adapters`` (a bare ``adapters`` package belongs to another project on PyPI). Every package
under ``lf_middleware/`` and ``adapters/`` is found here, so a new subpackage ships without editing anything.
Everything else is in pyproject.toml."""

from setuptools import find_namespace_packages, setup

# namespace discovery: data folders (e.g. code_shield/rules/semgrep) are packages too, so their files ship
_SKIP = ["*__pycache__*"]
core = find_namespace_packages(include=["lf_middleware", "lf_middleware.*"], exclude=_SKIP)
adapters = ["lf_middleware.adapters",
            *(f"lf_middleware.adapters.{p}" for p in find_namespace_packages("adapters", exclude=_SKIP))]
setup(packages=core + adapters, package_dir={"lf_middleware.adapters": "adapters"})
