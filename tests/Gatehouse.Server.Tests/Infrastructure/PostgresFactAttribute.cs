namespace Gatehouse.Server.Tests.Infrastructure;

/// <summary>
/// A test that needs the PostgreSQL server named by GATEHOUSE_TEST_POSTGRES (.ci/postgres.sh
/// starts one). Skipped on a developer machine without it; in CI (CI=true) it always runs, so a
/// missing server fails loudly instead of skipping.
/// </summary>
internal sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (ConnectionString is null && Environment.GetEnvironmentVariable("CI") != "true")
        {
            Skip = "GATEHOUSE_TEST_POSTGRES is not set (run `eval \"$(bash .ci/postgres.sh)\"`)";
        }
    }

    public static string? ConnectionString => Environment.GetEnvironmentVariable("GATEHOUSE_TEST_POSTGRES") is { Length: > 0 } s ? s : null;

    /// <summary>Creates an empty database for one test and returns its connection string.</summary>
    public static async Task<string> CreateDatabaseAsync(string prefix)
    {
        var admin = ConnectionString ?? throw new InvalidOperationException("CI=true but GATEHOUSE_TEST_POSTGRES is not set: .ci/run must start PostgreSQL.");
        var name = $"{prefix}_{Guid.NewGuid():N}"[..40];
        await using var connection = new Npgsql.NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using (var command = new Npgsql.NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection))
        {
            await command.ExecuteNonQueryAsync();
        }

        return new Npgsql.NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }
}
