using System.Collections;
using Gatehouse.Core.Manifests;
using Gatehouse.Storage.Relational;

namespace Gatehouse.Storage.Reconciliation;

/// <summary>
/// The changes of a plan in words, in plan order, with a count per kind. A request's words are
/// written when read, from its operation: a push of a million grants plans about two million
/// changes, the answer lists the first few thousand (ADR 0038), and holding every sentence until
/// the commit cost about a gigabyte (ADR 0042). Catalogue changes, few, are kept as written.
/// </summary>
internal sealed class PlannedChanges : IReadOnlyList<PlannedChange>
{
    private readonly List<Entry> _entries = [];
    private readonly int[] _counts = new int[Enum.GetValues<ChangeKind>().Length];

    public int Count => _entries.Count;

    public PlannedChange this[int index] => _entries[index] switch
    {
        { Change: { } change } => change,
        { File: { } file, Grant: false } => Filed(file),
        { File: { } file } => Granted(file),
        _ => throw new InvalidOperationException("A planned change has neither words nor an operation."),
    };

    /// <summary>Changes per kind; kinds with none are absent.</summary>
    public IReadOnlyDictionary<ChangeKind, int> Counts =>
        Enum.GetValues<ChangeKind>().Where(k => _counts[(int)k] > 0).ToDictionary(k => k, k => _counts[(int)k]);

    public void Add(PlannedChange change)
    {
        _entries.Add(new Entry(change, null, false));
        _counts[(int)change.Kind]++;
    }

    /// <summary>A request filed, and when the policy approves it at once, the grant it makes.</summary>
    public void Add(FileRequestOperation file)
    {
        _entries.Add(new Entry(null, file, false));
        _counts[(int)ChangeKind.FileRequest]++;
        if (file.Mode == ApprovalMode.Auto)
        {
            _entries.Add(new Entry(null, file, true));
            _counts[(int)ChangeKind.AutoGrant]++;
        }
    }

    public IEnumerator<PlannedChange> GetEnumerator()
    {
        for (var i = 0; i < _entries.Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static PlannedChange Filed(FileRequestOperation file)
    {
        var key = file.Key;
        var renewal = file.ReplacesEndedGrant ? $" (renews expired grant {file.ReplacesGrantId})" : "";
        return new PlannedChange(ChangeKind.FileRequest, key.Consumer, Names.Subject(key),
            $"request {key.Provider}:{key.Scope} for {key.Consumer} in {key.Environment}{renewal}, approved by {Approvers(file.Mode, key.Provider)}: \"{file.Reason}\"");
    }

    private static PlannedChange Granted(FileRequestOperation file)
    {
        var key = file.Key;
        var until = file.ExpiresAt is { } end ? $" until {end.UtcDateTime:yyyy-MM-dd HH:mm} UTC" : "";
        var replacing = file.ReplacesGrantId is { } old ? $", replacing grant {old}" : "";
        return new PlannedChange(ChangeKind.AutoGrant, key.Consumer, Names.Subject(key),
            $"grant {key.Provider}:{key.Scope} to {key.Consumer} in {key.Environment} at once by policy{until}{replacing}");
    }

    private static string Approvers(ApprovalMode mode, string provider) => mode switch
    {
        ApprovalMode.Auto => "policy at once",
        ApprovalMode.TwoOwners => $"two owners of {provider}",
        _ => $"an owner of {provider}",
    };

    private readonly record struct Entry(PlannedChange? Change, FileRequestOperation? File, bool Grant);
}
