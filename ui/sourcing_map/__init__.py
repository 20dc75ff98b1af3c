"""The sourcing map tab: the core's map layout drawn with QGraphicsScene items, the
gestures that edit the model through undoable commands, and the offscreen exports."""
