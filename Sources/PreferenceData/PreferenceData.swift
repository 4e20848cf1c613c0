/// The preference store (SQLite through GRDB), import/export, filtering and length balancing.
public enum PreferenceDataModule {}
