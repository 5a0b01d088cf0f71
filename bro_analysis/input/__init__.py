"""Input: the data contracts, parsing of Swedish CSV/Excel, loading and checking a data
folder, the Kolada client and the example data. Imports only core and presentation.formatting."""
