"""The shipped gazetteer (package data): one <cc>.jsonl file per country; see README.md here."""
