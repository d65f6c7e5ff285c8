"""Packaging hook: ship the top-level ``assets/`` folder inside the wheel as ``settop/assets``.

All other metadata lives in pyproject.toml; only the package list and this one mapping need code.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["settop", "settop.*"]), "settop.assets"],
    package_dir={"settop.assets": "assets"},
)
