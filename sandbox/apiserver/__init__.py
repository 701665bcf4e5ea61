"""The Kubernetes API server emulator: storage, watch, REST and CRD machinery."""
