"""Item models (QAbstractTableModel / QAbstractListModel) behind the lists of the shell."""
