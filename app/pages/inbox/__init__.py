"""The floor's requests on the tablet: the inbox page, the header badge and the toast."""
