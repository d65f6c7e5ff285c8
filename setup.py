"""Packaging hook: ship the top-level ``assets/`` folder inside the wheel as ``settop/assets``.

All other metadata lives in pyproject.toml; only the package list and this one mapping need code. The asset
folders are listed as (data-only) packages too, so setuptools does not warn about data in unlisted packages.
"""

from setuptools import find_namespace_packages, find_packages, setup

ASSET_FOLDERS = [f"settop.assets.{name}" for name in find_namespace_packages("assets")]

setup(
    packages=[*find_packages(include=["settop", "settop.*"]), "settop.locale", "settop.assets", *ASSET_FOLDERS],
    package_dir={"settop.assets": "assets"},
)
