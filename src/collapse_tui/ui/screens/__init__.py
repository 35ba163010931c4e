"""The app's screens, one per module: title, play, history, saves, glossary, help, settings, debrief."""
