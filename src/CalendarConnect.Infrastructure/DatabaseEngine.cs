namespace CalendarConnect.Infrastructure;

/// <summary>The database engines TOKEN_DB and CUSTOMER_DB can name (<see cref="DatabaseSetting.EngineOf"/>): a SQLite file (the default) or PostgreSQL.</summary>
public enum DatabaseEngine { Sqlite, Postgres }
