"""The Textual app: screens, widgets and styles on top of the headless engine."""
