"""Running the workbook: notebook parameters, the kernel pool and runner, the cache,
HTML export, the combined report, PDFs via Chromium, the benchmark and the CLI."""
