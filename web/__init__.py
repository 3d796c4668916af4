"""The hosts' phones: a small web server on the venue network (the third face of the app)."""
