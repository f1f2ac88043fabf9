"""Writing: records into Markdown pages, and validating what was written."""
