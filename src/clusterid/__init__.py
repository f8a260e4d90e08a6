"""clusterid: find industry clusters in regional economic statistics."""

__version__ = "0.1.0"
