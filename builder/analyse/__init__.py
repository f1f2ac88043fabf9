"""Analysis: glossary terms, chapters, talk-paper alignment, related pages."""
