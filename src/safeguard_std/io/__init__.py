"""Reading and writing text: one bounded document loader, the packaged JSON Schemas, problem
formatting and terminal-safe text (adapters)."""
