using System.Buffers;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Gatehouse.Storage.Sqlite;

/// <summary>
/// One statement run once per row of values, on the SQLite handle under the connection's open
/// transaction. Microsoft.Data.Sqlite costs several microseconds a row in managed code: it looks
/// every parameter up by name on every run (a scan of the statement's names), converts each
/// string to a new UTF-8 array and opens a data reader for each non-query. A push of a million
/// grants runs about ten million rows through here, so values are bound by position, strings are
/// encoded into one reused buffer, and the statement is stepped and reset (ADR 0042).
/// </summary>
internal sealed class SqliteBulkStatement : IDisposable
{
    private readonly sqlite3 _db;
    private readonly sqlite3_stmt _statement;
    private readonly int[] _positions;
    private byte[] _text = ArrayPool<byte>.Shared.Rent(1024);

    /// <param name="parameters">The statement's parameter names, in the order of each row's values.</param>
    public SqliteBulkStatement(SqliteConnection connection, string sql, IReadOnlyList<string> parameters)
    {
        _db = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        var rc = raw.sqlite3_prepare_v2(_db, sql, out _statement);
        if (rc != raw.SQLITE_OK)
        {
            _statement.Dispose();
            SqliteException.ThrowExceptionForRC(rc, _db);
        }

        _positions = new int[parameters.Count];
        for (var i = 0; i < parameters.Count; i++)
        {
            _positions[i] = raw.sqlite3_bind_parameter_index(_statement, parameters[i]);
            if (_positions[i] == 0)
            {
                throw new InvalidOperationException($"The statement has no parameter {parameters[i]}: {sql}");
            }
        }
    }

    public void Run(object?[] row)
    {
        for (var i = 0; i < _positions.Length; i++)
        {
            Check(Bind(_positions[i], row[i]));
        }

        var rc = raw.sqlite3_step(_statement);
        raw.sqlite3_reset(_statement);
        if (rc != raw.SQLITE_DONE && rc != raw.SQLITE_ROW)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }

    public void Dispose()
    {
        _statement.Dispose();
        ArrayPool<byte>.Shared.Return(_text);
        _text = [];
    }

    private int Bind(int position, object? value) => value switch
    {
        null or DBNull => raw.sqlite3_bind_null(_statement, position),
        string text => BindText(position, text),
        long number => raw.sqlite3_bind_int64(_statement, position, number),
        int number => raw.sqlite3_bind_int64(_statement, position, number),
        bool flag => raw.sqlite3_bind_int64(_statement, position, flag ? 1 : 0),
        double real => raw.sqlite3_bind_double(_statement, position, real),
        byte[] blob => raw.sqlite3_bind_blob(_statement, position, blob),
        _ => throw new InvalidOperationException($"No SQLite binding for a {value.GetType().Name} value."),
    };

    private int BindText(int position, string text)
    {
        if (text.Length == 0)
        {
            // An empty span would be bound as a null pointer, which SQLite stores as NULL.
            return raw.sqlite3_bind_text(_statement, position, string.Empty);
        }

        var most = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (most > _text.Length)
        {
            ArrayPool<byte>.Shared.Return(_text);
            _text = ArrayPool<byte>.Shared.Rent(Math.Max(most, _text.Length * 2));
        }

        var length = Encoding.UTF8.GetBytes(text, _text);
        return raw.sqlite3_bind_text(_statement, position, _text.AsSpan(0, length));
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, _db);
        }
    }
}
