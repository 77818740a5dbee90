using System.Data.Common;

namespace Gatehouse.Storage.Relational;

/// <summary>
/// A command for one read, from <see cref="StoreEngine.Read"/>. Dispose this, never the command:
/// an engine may keep the command prepared on its connection for the next request.
/// </summary>
internal readonly struct ReadCommand(DbCommand command, bool owned) : IAsyncDisposable
{
    public DbCommand Command { get; } = command;

    public ValueTask DisposeAsync() => owned ? Command.DisposeAsync() : ValueTask.CompletedTask;
}
