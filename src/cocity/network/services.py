"""Writes for the network app: one function per use case, in a transaction, raising
``ValidationError`` with a message a person can act on. Views never write to models."""
