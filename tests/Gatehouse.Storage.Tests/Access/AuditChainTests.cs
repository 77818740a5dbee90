using Gatehouse.Core.Access;

namespace Gatehouse.Storage.Tests.Access;

public sealed class AuditChainTests
{
    private static readonly DateTimeOffset At = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_hash_is_lower_case_sha256_hex_and_the_genesis_is_64_zeros()
    {
        var hash = AuditChain.ComputeHash(1, 0, "bootstrap", "org.pushed", "organisation/acme", null, null, null, AuditChain.GenesisHash);

        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.Equal(new string('0', 64), AuditChain.GenesisHash);
        Assert.Equal(hash, AuditChain.ComputeHash(1, 0, "bootstrap", "org.pushed", "organisation/acme", null, null, null, AuditChain.GenesisHash));
    }

    [Fact]
    public void Moving_text_between_fields_or_a_null_to_empty_changes_the_hash()
    {
        var reference = AuditChain.ComputeHash(7, 1, "user:al", "ice", "s", "", null, null, AuditChain.GenesisHash);

        Assert.NotEqual(reference, AuditChain.ComputeHash(7, 1, "user:alice", "", "s", "", null, null, AuditChain.GenesisHash));
        Assert.NotEqual(reference, AuditChain.ComputeHash(7, 1, "user:al", "ice", "s", null, null, null, AuditChain.GenesisHash));
        Assert.NotEqual(reference, AuditChain.ComputeHash(7, 1, "user:al", "ice", "s", "", "", null, AuditChain.GenesisHash));
        Assert.NotEqual(reference, AuditChain.ComputeHash(71, 1, "user:al", "ice", "s", "", null, null, AuditChain.GenesisHash));
    }

    [Fact]
    public void A_valid_chain_verifies_and_counts_its_events()
    {
        var chain = Chain(4);
        var verifier = new AuditChainVerifier();

        Assert.All(chain, e => Assert.True(verifier.Accept(e)));
        verifier.Finish(4, chain[^1].Hash);

        Assert.True(verifier.IsValid);
        Assert.Equal(4, verifier.EventCount);
    }

    [Fact]
    public void A_changed_event_breaks_the_chain_at_its_seq()
    {
        var chain = Chain(4);
        chain[2] = chain[2] with { Comment = "edited" };

        var verifier = Verify(chain, 4, chain[^1].Hash);

        Assert.Equal(3, verifier.FirstBrokenSeq);
        Assert.Contains("changed", verifier.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_recomputed_event_still_breaks_the_link_to_the_next()
    {
        var chain = Chain(4);
        var forged = chain[1] with { Comment = "edited" };
        chain[1] = forged with { Hash = AuditChain.ComputeHash(forged) };

        Assert.Equal(3, Verify(chain, 4, chain[^1].Hash).FirstBrokenSeq);
    }

    [Fact]
    public void A_missing_event_is_a_gap_and_missing_newest_events_disagree_with_the_head()
    {
        var chain = Chain(4);

        var gap = Verify([chain[0], chain[2], chain[3]], 4, chain[^1].Hash);
        var truncated = Verify([chain[0], chain[1]], 4, chain[^1].Hash);

        Assert.Equal((2L, "event 2 is missing (the next stored event is 3)"), (gap.FirstBrokenSeq!.Value, gap.Problem));
        Assert.Equal(3, truncated.FirstBrokenSeq);
        Assert.Contains("events 3 to 4 are missing", truncated.Problem, StringComparison.Ordinal);
    }

    private static AuditChainVerifier Verify(IEnumerable<AuditEvent> events, long headSeq, string headHash)
    {
        var verifier = new AuditChainVerifier();
        foreach (var e in events)
        {
            if (!verifier.Accept(e))
            {
                break;
            }
        }

        verifier.Finish(headSeq, headHash);
        Assert.False(verifier.IsValid);
        return verifier;
    }

    private static List<AuditEvent> Chain(int count)
    {
        var events = new List<AuditEvent>();
        var previous = AuditChain.GenesisHash;
        for (var seq = 1; seq <= count; seq++)
        {
            var e = new AuditEvent(seq, At.AddSeconds(seq), "user:alice", "request.filed", $"request/{seq}", "because", "req-1", "{\"n\":1}", previous, "");
            e = e with { Hash = AuditChain.ComputeHash(e) };
            events.Add(e);
            previous = e.Hash;
        }

        return events;
    }
}
