"""Ingestion: source files (PDF, talk) into typed records."""
