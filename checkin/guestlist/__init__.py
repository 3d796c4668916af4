"""Guest lists coming in: reading CSV exports from ticketing tools into validated rows."""
