"""Built-in check families. Each family registers through the ``egov_audit.checks``
entry point group exactly as a third-party plugin would."""
