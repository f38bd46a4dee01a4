"""Running a workflow against the device: approval, atomic effects and the execution record."""
