"""kg: knowledge graphs from Chinese articles.

Importing this package does nothing: no jieba, no rdflib, no logging handlers.
"""

__version__ = "0.1.0"
