using System.Globalization;

namespace Gatehouse.Core.Access;

/// <summary>
/// Recomputes a chain one event at a time, in seq order, so a log of any size is verified
/// without holding it in memory. Stops at the first broken link and says what broke. Given a
/// checkpoint, it also proves that events 1 to the checkpoint's seq are exactly those it recorded.
/// </summary>
public sealed class AuditChainVerifier(Func<AuditEvent, string> hash)
{
    private long _expectedSeq = 1;
    private string _previousHash = AuditChain.GenesisHash;
    private AuditCheckpoint? _checkpoint;
    private long _lastMatchedMark;

    /// <summary>Verifies a chain keyed with <paramref name="key"/> (the only kind Gatehouse writes).</summary>
    public static AuditChainVerifier Keyed(byte[] key) => new(e => AuditChain.ComputeHash(key, e));

    /// <summary>Verifies a chain of the unkeyed version 1 encoding, before it is re-chained.</summary>
    public static AuditChainVerifier Legacy() => new(AuditChain.ComputeLegacyHash);

    public long EventCount { get; private set; }

    public long? FirstBrokenSeq { get; private set; }

    public string? Problem { get; private set; }

    public bool IsValid => FirstBrokenSeq is null;

    /// <summary>The hash of the last accepted event (the genesis hash before the first).</summary>
    public string HeadHash => _previousHash;

    /// <summary>Also checks the events up to <paramref name="checkpoint"/>'s seq against it; call before the first event.</summary>
    public void Expect(AuditCheckpoint checkpoint) => _checkpoint = checkpoint;

    /// <summary>Checks the next stored event; false once the chain is broken.</summary>
    public bool Accept(AuditEvent e)
    {
        if (!IsValid)
        {
            return false;
        }

        if (e.Seq != _expectedSeq)
        {
            return Fail(_expectedSeq, e.Seq > _expectedSeq
                ? $"event {Format(_expectedSeq)} is missing (the next stored event is {Format(e.Seq)})"
                : $"event {Format(e.Seq)} is stored out of order (expected {Format(_expectedSeq)})");
        }

        if (!string.Equals(e.PreviousHash, _previousHash, StringComparison.Ordinal))
        {
            return Fail(e.Seq, $"event {Format(e.Seq)} does not link to event {Format(e.Seq - 1)} (previous hash differs)");
        }

        var computed = hash(e);
        if (!string.Equals(computed, e.Hash, StringComparison.Ordinal))
        {
            return Fail(e.Seq, $"event {Format(e.Seq)} was changed after it was written (its hash does not match its content)");
        }

        if (_checkpoint is { } checkpoint && e.Seq <= checkpoint.Seq && !MatchesCheckpoint(checkpoint, e.Seq, computed))
        {
            return false;
        }

        _previousHash = e.Hash;
        _expectedSeq++;
        EventCount++;
        return true;
    }

    /// <summary>
    /// Compares the end of the chain with the head the store keeps beside it, which catches
    /// events deleted from the end (a gap in the middle is caught by <see cref="Accept"/>), and
    /// with the checkpoint's end: a chain that stops before it lost events.
    /// </summary>
    public void Finish(long headSeq, string headHash)
    {
        if (!IsValid)
        {
            return;
        }

        var lastSeq = _expectedSeq - 1;
        if (headSeq != lastSeq)
        {
            Fail(lastSeq + 1, headSeq > lastSeq
                ? $"events {Format(lastSeq + 1)} to {Format(headSeq)} are missing (the chain head is at {Format(headSeq)})"
                : $"the chain head is at {Format(headSeq)} but events go up to {Format(lastSeq)}");
        }
        else if (!string.Equals(headHash, _previousHash, StringComparison.Ordinal))
        {
            Fail(lastSeq, $"the chain head does not match event {Format(lastSeq)}");
        }
        else if (_checkpoint is { } checkpoint && lastSeq < checkpoint.Seq)
        {
            Fail(lastSeq + 1, $"the chain ends at event {Format(lastSeq)}, before event {Format(checkpoint.Seq)} of the {Describe(checkpoint)}: events were removed");
        }
    }

    // The head hash pins every event up to the checkpoint; the marks say which one differs.
    private bool MatchesCheckpoint(AuditCheckpoint checkpoint, long seq, string computed)
    {
        if (seq == checkpoint.Seq)
        {
            return string.Equals(computed, checkpoint.Hash, StringComparison.Ordinal) || FailFromCheckpoint(checkpoint, seq);
        }

        if (seq % checkpoint.Stride != 0)
        {
            return true;
        }

        var index = (seq / checkpoint.Stride) - 1;
        if (index < checkpoint.Marks.Count && !string.Equals(AuditCheckpoints.Mark(computed), checkpoint.Marks[(int)index], StringComparison.Ordinal))
        {
            return FailFromCheckpoint(checkpoint, seq);
        }

        _lastMatchedMark = seq;
        return true;
    }

    private bool FailFromCheckpoint(AuditCheckpoint checkpoint, long seq)
    {
        var first = _lastMatchedMark + 1;
        var which = first == seq ? $"event {Format(seq)} differs" : $"an event from {Format(first)} to {Format(seq)} differs";
        return Fail(first, $"{which} from the {Describe(checkpoint)}: it was changed, removed or reordered after the checkpoint and the chain was re-computed");
    }

    private static string Describe(AuditCheckpoint checkpoint) =>
        $"checkpoint of {checkpoint.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}Z (events 1 to {Format(checkpoint.Seq)})";

    private bool Fail(long seq, string problem)
    {
        FirstBrokenSeq = seq;
        Problem = problem;
        return false;
    }

    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}
