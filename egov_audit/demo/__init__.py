"""The built-in demo: an imitation city portal on loopback, deliberately misconfigured."""
