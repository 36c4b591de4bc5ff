"""Socket.IO: the namespace every screen connects to, rooms, and publishing changes."""
