"""Messages central sends to shoppers: rendering, delivery, and the links they carry."""
