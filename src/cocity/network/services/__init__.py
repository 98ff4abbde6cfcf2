"""Writes for the network app, one module per area (``spaces``, ``organisations``,
``territories``, ``topics``): one function per use case, keyword-only arguments, in a
transaction, raising ``django.core.exceptions.ValidationError`` with a message a person can act
on. Views and the admin never write to models."""
