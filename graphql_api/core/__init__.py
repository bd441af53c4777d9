"""Shared GraphQL building blocks: errors, connections, money, the base mutation."""
