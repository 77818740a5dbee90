using Npgsql;

namespace Gatehouse.Bench.Serving;

/// <summary>A fresh database on the server of GATEHOUSE_TEST_POSTGRES (see .ci/postgres.sh), dropped when disposed.</summary>
internal sealed class PostgresScratch : IDisposable
{
    public const string Variable = "GATEHOUSE_TEST_POSTGRES";

    private readonly string _server;
    private readonly string _name = "gatehouse_bench_" + Guid.NewGuid().ToString("n")[..10];

    private PostgresScratch(string server)
    {
        _server = server;
        Execute($"CREATE DATABASE \"{_name}\"");
        var builder = new NpgsqlConnectionStringBuilder(server) { Database = _name };
        if (IsLoopback(builder.Host) && !server.Contains("SSL Mode", StringComparison.OrdinalIgnoreCase) && !server.Contains("SslMode", StringComparison.OrdinalIgnoreCase))
        {
            // A database on the same machine needs no TLS: docs/operations.md recommends SSL Mode=Disable there.
            builder.SslMode = SslMode.Disable;
        }

        ConnectionString = builder.ConnectionString;
        Describe = $"{builder.Host}:{builder.Port}, SSL Mode={builder.SslMode}";
    }

    public string ConnectionString { get; }

    /// <summary>Where the server is and whether TLS is used, for the report.</summary>
    public string Describe { get; }

    private static bool IsLoopback(string? host) => host is "127.0.0.1" or "localhost" or "::1";

    public static PostgresScratch? FromEnvironment() =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } server ? new PostgresScratch(server) : null;

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        Execute($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)");
    }

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(_server);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
