"""Building blocks shared by the screens: theme, overlays, menus, dialogs, keyboard, PIN prompt, logos."""
