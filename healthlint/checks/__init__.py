"""Python rules that need code rather than phrase lists."""
