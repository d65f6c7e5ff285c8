"""Test helpers: loopback servers, stream makers."""
