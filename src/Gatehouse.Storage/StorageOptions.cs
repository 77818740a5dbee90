namespace Gatehouse.Storage;

/// <summary>
/// Where Gatehouse keeps its state. SQLite (a single file, the default) unless
/// <see cref="PostgresConnectionString"/> is set, which several server replicas can share.
/// </summary>
public sealed class StorageOptions
{
    /// <summary>The SQLite database file inside <see cref="DataDirectory"/>.</summary>
    public const string SqliteFileName = "gatehouse.db";

    /// <summary>Folder of the SQLite database (created if missing). Ignored when PostgreSQL is used.</summary>
    public string DataDirectory { get; set; } = ".gatehouse";

    /// <summary>An Npgsql connection string; when set, PostgreSQL is the store.</summary>
    public string? PostgresConnectionString { get; set; }

    public bool UsesPostgres => !string.IsNullOrWhiteSpace(PostgresConnectionString);

    /// <summary>Full path of the SQLite file.</summary>
    public string SqlitePath => Path.GetFullPath(Path.Combine(DataDirectory, SqliteFileName));

    /// <summary>Problems with these options, in words an operator can act on; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (UsesPostgres)
        {
            try
            {
                _ = new Npgsql.NpgsqlConnectionStringBuilder(PostgresConnectionString);
            }
            catch (ArgumentException e)
            {
                problems.Add($"the PostgreSQL connection string is not valid: {e.Message}");
            }
        }
        else if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            problems.Add("the data directory is empty: set it to the folder that holds gatehouse.db");
        }

        return problems;
    }

    /// <summary>Where the store is, for start-up logs; never includes a password.</summary>
    public string Describe()
    {
        if (!UsesPostgres)
        {
            return $"SQLite at {SqlitePath}";
        }

        var builder = new Npgsql.NpgsqlConnectionStringBuilder(PostgresConnectionString);
        return $"PostgreSQL at {builder.Host}:{builder.Port}/{builder.Database} as {builder.Username}";
    }
}
