"""The wheel's packages: every package under bro_analysis/, found rather than listed (a copied
area package needs no line anywhere), and the notebooks and data that pyproject.toml's
[tool.setuptools.package-dir] maps into the package (bro-analysis init copies them)."""

from setuptools import find_packages, setup

SHIPPED = [
    "bro_analysis.notebooks",
    "bro_analysis.data",
    "bro_analysis.data.example",
    "bro_analysis.data.example.bedomningar",
]

setup(packages=find_packages(include=["bro_analysis", "bro_analysis.*"]) + SHIPPED)
