"""The Qt window. Widgets talk to ``writer.core`` through its public API only."""
