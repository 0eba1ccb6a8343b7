"""The read model: records as Capsule shows them, without HTTP, for every protocol alike."""
