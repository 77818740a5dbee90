namespace Gatehouse.Testing;

/// <summary>
/// Needs the PostgreSQL server named by GATEHOUSE_TEST_POSTGRES (`eval "$(bash .ci/postgres.sh)"`).
/// Skipped on a developer machine without it; in CI (CI=true) it always runs. Linked into the
/// OAuth and portal test projects (the server tests keep their own, which takes a name prefix).
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (ConnectionString is null && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = "GATEHOUSE_TEST_POSTGRES is not set (run `eval \"$(bash .ci/postgres.sh)\"`)";
        }
    }

    private static string? ConnectionString => Environment.GetEnvironmentVariable("GATEHOUSE_TEST_POSTGRES") is { Length: > 0 } s ? s : null;

    /// <summary>Creates an empty database for one test and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var admin = ConnectionString ?? throw new InvalidOperationException("CI=true but GATEHOUSE_TEST_POSTGRES is not set: .ci/run must start PostgreSQL.");
        var name = $"test_{Guid.NewGuid():N}"[..30];
        await using var connection = new Npgsql.NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using (var command = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection))
        {
            await command.ExecuteNonQueryAsync();
        }

        return new Npgsql.NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }
}
