using Gatehouse.Storage.Tests.Infrastructure;
using Npgsql;

namespace Gatehouse.Storage.Tests.Postgres;

/// <summary>
/// A fresh database per test class on the server of GATEHOUSE_TEST_POSTGRES, dropped afterwards.
/// Each test gets its own schema in it (through the connection string's search path), so tests
/// never see each other's rows and each migrates from nothing.
/// </summary>
public sealed class PostgresDatabase : IAsyncLifetime
{
    private readonly string _name = "gatehouse_t_" + Guid.NewGuid().ToString("n")[..12];
    private string? _serverConnectionString;
    private string? _connectionString;
    private int _schemas;

    public async Task InitializeAsync()
    {
        if (PostgresTestEnvironment.SkipReason is not null)
        {
            return;
        }

        // In CI an unset variable throws here, failing every test of the class with the reason.
        _serverConnectionString = PostgresTestEnvironment.RequireConnectionString();
        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{_name}\"", connection);
        await command.ExecuteNonQueryAsync();
        _connectionString = new NpgsqlConnectionStringBuilder(_serverConnectionString) { Database = _name }.ConnectionString;
    }

    /// <summary>A connection string whose tables live in a new, empty schema.</summary>
    public async Task<string> NewSchemaAsync(string? options = null)
    {
        var connectionString = _connectionString ?? throw new InvalidOperationException("The PostgreSQL test database was not created.");
        var schema = $"t{Interlocked.Increment(ref _schemas)}";
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema, Options = options }.ConnectionString;
    }

    public async Task DisposeAsync()
    {
        if (_serverConnectionString is null)
        {
            return;
        }

        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(_serverConnectionString);
        await connection.OpenAsync();
        // A database of a hundred schemas takes a while to drop on a loaded machine: more than Npgsql's default 30 s.
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", connection) { CommandTimeout = 300 };
        await command.ExecuteNonQueryAsync();
    }
}
