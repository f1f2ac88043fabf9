"""coursewiki: (paper PDF, talk) pairs into a cited, cross-linked MkDocs Material course wiki."""
__version__ = "0.1.0"
