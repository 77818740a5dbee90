using System.Runtime.CompilerServices;
using Gatehouse.Storage.Relational;
using Microsoft.Data.Sqlite;

namespace Gatehouse.Storage.Sqlite;

/// <summary>
/// Prepared statements kept on each pooled connection for the reads every check runs.
/// Microsoft.Data.Sqlite compiles a command's SQL again for every new command object
/// (dotnet/efcore#14044), and for the check's queries compiling cost several times more than
/// running them (about 150 µs against 35 µs, see docs/benchmarks.md). A statement is used only by
/// the request holding its connection, outside any transaction, and disposing its reader resets
/// it, so it never keeps a read snapshot from one request to the next.
/// </summary>
internal sealed class SqliteStatementCache
{
    private readonly ConditionalWeakTable<SqliteConnection, Dictionary<string, SqliteCommand>> _statements = new();

    public SqliteCommand Get(SqliteConnection connection, string sql, (string Name, object? Value)[] parameters)
    {
        var statements = _statements.GetOrCreateValue(connection);
        if (statements.TryGetValue(sql, out var command))
        {
            foreach (var (name, value) in parameters)
            {
                command.Parameters[name].Value = value ?? DBNull.Value;
            }

            return command;
        }

        command = (SqliteCommand)Db.Command(connection, null, sql, parameters);
        command.Prepare();
        statements.Add(sql, command);
        return command;
    }

    /// <summary>Finalizes the connection's statements; call before disposing the connection.</summary>
    public void Forget(SqliteConnection connection)
    {
        if (_statements.TryGetValue(connection, out var statements))
        {
            foreach (var command in statements.Values)
            {
                command.Dispose();
            }

            _statements.Remove(connection);
        }
    }
}
