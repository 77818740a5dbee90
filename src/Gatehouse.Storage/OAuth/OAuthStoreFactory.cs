using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Gatehouse.Storage.OAuth;

/// <summary>Creates the OAuth store on the same database as the rest of Gatehouse.</summary>
public static class OAuthStoreFactory
{
    /// <summary>The SQLite file of the embedded store, inside the data folder.</summary>
    public const string SqliteFileName = "gatehouse.db";

    /// <summary>PostgreSQL when <paramref name="postgresConnectionString"/> is set, otherwise SQLite in <paramref name="dataDirectory"/>.</summary>
    public static IOAuthStore Create(string dataDirectory, string? postgresConnectionString)
    {
        if (!string.IsNullOrEmpty(postgresConnectionString))
        {
            var source = NpgsqlDataSource.Create(postgresConnectionString);
            return new SqlOAuthStore(async ct => await source.OpenConnectionAsync(ct));
        }

        Directory.CreateDirectory(dataDirectory);
        var connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(dataDirectory, SqliteFileName),
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        return new SqlOAuthStore(ct => OpenSqliteAsync(connectionString, ct));
    }

    private static async Task<DbConnection> OpenSqliteAsync(string connectionString, CancellationToken ct)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 5000; PRAGMA foreign_keys = ON;";
        await pragma.ExecuteNonQueryAsync(ct);
        return connection;
    }
}
