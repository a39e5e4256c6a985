"""Stage 5, results: the `Result` of one evaluation, its records, reasons and JSON."""
