"""Imports every rule module so that their rules register. Add new rule modules here."""
