"""Helpers that every app's tests import: the hostile-input corpus (``corpus``) and the
registry of forms it is posted into (``forms``). Test code only; nothing here runs in a request."""
