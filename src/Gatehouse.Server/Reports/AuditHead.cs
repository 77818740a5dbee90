using System.Globalization;
using System.Text.RegularExpressions;
using Gatehouse.Storage;

namespace Gatehouse.Server.Reports;

/// <summary>
/// The audit chain's head an export was made from, written <c>SEQ:HASH</c> (the last event's
/// number and its chain hash, ADR 0030). The hash pins every event up to SEQ, so
/// <c>gatehouse audit verify --head SEQ:HASH</c> later proves the log still holds exactly them.
/// </summary>
internal sealed partial record AuditHead(long Seq, string Hash)
{
    public string Value => $"{Seq.ToString(CultureInfo.InvariantCulture)}:{Hash}";

    public override string ToString() => Value;

    public static AuditHead? Parse(string? text)
    {
        var match = text is null ? null : Pattern().Match(text.Trim());
        return match is { Success: true } && long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seq)
            ? new AuditHead(seq, match.Groups[2].Value)
            : null;
    }

    /// <summary>The head now: the newest event (seq 0 and the genesis hash for an empty log).</summary>
    public static async Task<AuditHead> ReadAsync(IGatehouseStore store, CancellationToken ct)
    {
        var newest = await store.ReadAuditAsync(new AuditQuery(Limit: 1, NewestFirst: true), ct);
        return newest.Count == 0 ? new AuditHead(0, Core.Access.AuditChain.GenesisHash) : new AuditHead(newest[0].Seq, newest[0].Hash);
    }

    [GeneratedRegex("^([0-9]{1,18}):([0-9a-f]{64})$")]
    private static partial Regex Pattern();
}
