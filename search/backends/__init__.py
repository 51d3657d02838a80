"""Search engines behind one contract (base.SearchBackend); registry picks the one in use."""
