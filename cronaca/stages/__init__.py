"""Pipeline stages: each one adds a layer to a ``Document`` and can be run and tested alone."""
