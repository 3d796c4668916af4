"""Welcome Desk's Qt layer. Calls checkin/; checkin/ never calls it."""
