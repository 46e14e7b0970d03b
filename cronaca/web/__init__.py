"""The web workspace: an HTTP API (``/api``) and server-rendered pages over one store.

``create_app(db_path, allow_ingest=False, token=None)`` builds the FastAPI application;
``cronaca serve`` runs it with uvicorn on the loopback interface by default.
"""
from .app import create_app, get_store

__all__ = ["create_app", "get_store"]
