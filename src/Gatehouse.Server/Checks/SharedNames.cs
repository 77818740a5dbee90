using System.Collections.Concurrent;
using Gatehouse.Core.Access;

namespace Gatehouse.Server.Checks;

/// <summary>
/// One copy of each app, scope and environment name for what the server keeps per access (the
/// decision cache's keys, the usage recorder's cells): each request and each store read brings its
/// own copies, and four strings were most of an entry's ~300 bytes (ADR 0043). Used only where an
/// entry is created, never on a lookup. Bounded: past <see cref="MaxNames"/> it starts again empty,
/// which costs only sharing, never an answer.
/// </summary>
internal static class SharedNames
{
    private const int MaxNames = 200_000;

    private static readonly ConcurrentDictionary<string, string> Names = new(StringComparer.Ordinal);
    private static int _added;

    public static string Of(string name)
    {
        if (Names.TryGetValue(name, out var shared))
        {
            return shared;
        }

        if (Interlocked.Increment(ref _added) > MaxNames)
        {
            Interlocked.Exchange(ref _added, 0);
            Names.Clear();
        }

        return Names.GetOrAdd(name, name);
    }

    public static AccessKey Of(AccessKey key) => new(Of(key.Consumer), Of(key.Provider), Of(key.Scope), Of(key.Environment));
}
