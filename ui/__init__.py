"""The Qt layer of ecomraci: shows the core model and turns gestures into undoable
commands on it. PySide6 is imported only below this package."""
