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
        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = _name }.ConnectionString;
    }

    public string ConnectionString { get; }

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
