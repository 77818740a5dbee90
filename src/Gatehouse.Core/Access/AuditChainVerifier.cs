using System.Globalization;

namespace Gatehouse.Core.Access;

/// <summary>
/// Recomputes a chain one event at a time, in seq order, so a log of any size is verified
/// without holding it in memory. Stops at the first broken link and says what broke.
/// </summary>
public sealed class AuditChainVerifier
{
    private long _expectedSeq = 1;
    private string _previousHash = AuditChain.GenesisHash;

    public long EventCount { get; private set; }

    public long? FirstBrokenSeq { get; private set; }

    public string? Problem { get; private set; }

    public bool IsValid => FirstBrokenSeq is null;

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

        if (!string.Equals(AuditChain.ComputeHash(e), e.Hash, StringComparison.Ordinal))
        {
            return Fail(e.Seq, $"event {Format(e.Seq)} was changed after it was written (its hash does not match its content)");
        }

        _previousHash = e.Hash;
        _expectedSeq++;
        EventCount++;
        return true;
    }

    /// <summary>
    /// Compares the end of the chain with the head the store keeps beside it, which catches
    /// events deleted from the end (a gap in the middle is caught by <see cref="Accept"/>).
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
    }

    private bool Fail(long seq, string problem)
    {
        FirstBrokenSeq = seq;
        Problem = problem;
        return false;
    }

    private static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);
}
