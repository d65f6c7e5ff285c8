"""Remote-control input: button and action names, and the keymap that binds them (no Qt)."""
