"""pretix, the ticketing system: pull its guest list through the REST API, push the door's
check-ins back. Plain HTTP (urllib): no Qt, no web framework, nothing to install."""
