using System.Security.Cryptography;
using Gatehouse.Core.Access;

namespace Gatehouse.Storage.Tests.Access;

public sealed class AuditChainTests
{
    private static readonly DateTimeOffset At = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Key = SHA256.HashData("audit-chain-tests"u8);

    private static readonly AuditEvent Reference = new(
        7, At, "user:alice", "request.filed", "request/3", "billing", "customers", "because", "req-1", "{\"n\":1}", AuditChain.GenesisHash, "");

    [Fact]
    public void The_hash_is_lower_case_hex_of_an_HMAC_under_the_key()
    {
        var hash = AuditChain.ComputeHash(Key, Reference);

        Assert.Matches("^[0-9a-f]{64}$", hash);
        Assert.Equal(new string('0', 64), AuditChain.GenesisHash);
        Assert.Equal(hash, AuditChain.ComputeHash(Key, Reference with { Hash = "ignored" }));
        Assert.NotEqual(hash, AuditChain.ComputeHash(SHA256.HashData("another key"u8), Reference));
    }

    [Fact]
    public void Every_stored_field_is_covered_by_the_hash()
    {
        var reference = AuditChain.ComputeHash(Key, Reference);

        AuditEvent[] changed =
        [
            Reference with { Seq = 8 },
            Reference with { At = At.AddMilliseconds(1) },
            Reference with { Actor = "user:bob" },
            Reference with { Action = "request.approved" },
            Reference with { Subject = "request/4" },
            Reference with { App = "shop" },
            Reference with { App = null },
            Reference with { ProviderApp = "billing" },
            Reference with { ProviderApp = null },
            Reference with { Comment = "" },
            Reference with { RequestId = null },
            Reference with { Data = "{\"n\":2}" },
            Reference with { PreviousHash = new string('1', 64) },
        ];

        Assert.All(changed, e => Assert.NotEqual(reference, AuditChain.ComputeHash(Key, e)));
        Assert.Equal(changed.Length, changed.Select(e => AuditChain.ComputeHash(Key, e)).Distinct().Count());
    }

    [Fact]
    public void The_reusable_hasher_of_a_writer_computes_the_chain_hash_event_after_event()
    {
        AuditEvent[] events =
        [
            Reference,
            Reference with { Seq = long.MaxValue, At = DateTimeOffset.FromUnixTimeMilliseconds(0), App = null, ProviderApp = null, Comment = null, RequestId = null, Data = null },
            Reference with { Comment = "", Subject = "grüße -> customers:profile.read@development", Data = "{\"people\":[\"Zoë (pusher)\"]}" },
            Reference with { Data = new string('x', 5000), Seq = 1234567890123 },
            Reference with { Actor = "policy", Action = "grant.created", PreviousHash = new string('f', 64) },
        ];
        using var hasher = new AuditEventHasher(Key);

        foreach (var e in events.Concat(events))
        {
            Assert.Equal(AuditChain.ComputeHash(Key, e), hasher.Hash(e.Seq, e.At.ToUnixTimeMilliseconds(), e.Actor, e.Action, e.Subject,
                e.App, e.ProviderApp, e.Comment, e.RequestId, e.Data, e.PreviousHash));
        }
    }

    [Fact]
    public void Moving_text_between_fields_or_a_null_to_empty_changes_the_hash()
    {
        var reference = AuditChain.ComputeHash(Key, Reference with { Actor = "user:al", Action = "ice" });

        Assert.NotEqual(reference, AuditChain.ComputeHash(Key, Reference with { Actor = "user:alice", Action = "" }));
        Assert.NotEqual(reference, AuditChain.ComputeHash(Key, Reference with { Actor = "user:al", Action = "ice", App = "customers", ProviderApp = null }));
    }

    [Fact]
    public void The_legacy_hash_is_the_one_Gatehouse_0_1_wrote()
    {
        // Event 1 of tests/Gatehouse.Storage.Tests/Fixtures/v1-audit/gatehouse.db, written by Gatehouse 0.1.
        var e = new AuditEvent(1, DateTimeOffset.FromUnixTimeMilliseconds(1796525794210), "bootstrap", "org.pushed", "organisation/legacyco", null, null, null,
            "0HNQJ8I4EG42U:00000001", "{\"environments\":[\"development\",\"production\"],\"teams\":[\"payments\",\"people\"],\"admins\":[\"root\"]}", AuditChain.GenesisHash, "");

        Assert.Equal("747cc395effb6d6dea8644dec3a12c877e877905cbe54c8904781ae2179503d6", AuditChain.ComputeLegacyHash(e));
        Assert.Equal(AuditChain.ComputeLegacyHash(e), AuditChain.ComputeLegacyHash(e with { App = "moved", ProviderApp = "elsewhere" }));
    }

    [Fact]
    public void A_valid_chain_verifies_and_counts_its_events()
    {
        var chain = Chain(4);
        var verifier = AuditChainVerifier.Keyed(Key);

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
    public void A_chain_recomputed_without_the_key_does_not_verify()
    {
        // Someone who can write the database edits event 2 and recomputes every link, but not with our key.
        var chain = Chain(4);
        chain[1] = chain[1] with { App = "elsewhere" };
        var forged = Relink(chain, SHA256.HashData("a guessed key"u8));

        Assert.Equal(1, Verify(forged, 4, forged[^1].Hash).FirstBrokenSeq);
    }

    [Fact]
    public void A_legacy_chain_verifies_only_as_legacy()
    {
        var chain = Chain(3, AuditChain.ComputeLegacyHash);
        var legacy = AuditChainVerifier.Legacy();

        Assert.All(chain, e => Assert.True(legacy.Accept(e)));
        Assert.Equal(1, Verify(chain, 3, chain[^1].Hash).FirstBrokenSeq);
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

    [Fact]
    public void A_checkpoint_passes_for_the_same_chain_and_for_a_chain_that_continued()
    {
        var chain = Chain(6);
        var checkpoint = Checkpoint(chain.Take(4).ToList());

        var verifier = AuditChainVerifier.Keyed(Key);
        verifier.Expect(checkpoint);
        Assert.All(chain, e => Assert.True(verifier.Accept(e)));
        verifier.Finish(6, chain[^1].Hash);

        Assert.True(verifier.IsValid, verifier.Problem);
        Assert.True(AuditCheckpoints.HasValidSignature(AuditCheckpoints.SigningKey(Key), checkpoint));
    }

    [Fact]
    public void An_event_edited_before_a_checkpoint_is_named_even_when_the_chain_was_recomputed_with_the_key()
    {
        var chain = Chain(6);
        var checkpoint = Checkpoint(chain.Take(5).ToList());
        chain[2] = chain[2] with { ProviderApp = "someone-else" };
        var rechained = Relink(chain, Key);

        var verifier = VerifyAgainst(rechained, checkpoint);

        Assert.Equal(3, verifier.FirstBrokenSeq);
        Assert.StartsWith("event 3 differs from the checkpoint of 2025-03-01 09:00:05Z (events 1 to 5)", verifier.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chain_that_ends_before_the_checkpoint_lost_events()
    {
        var chain = Chain(6);
        var checkpoint = Checkpoint(chain);
        var truncated = chain.Take(4).ToList();

        var verifier = VerifyAgainst(truncated, checkpoint);

        Assert.Equal(5, verifier.FirstBrokenSeq);
        Assert.Contains("the chain ends at event 4, before event 6 of the checkpoint", verifier.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void In_a_long_chain_the_marks_name_the_range_of_the_edited_event()
    {
        var chain = Chain(3000);
        var checkpoint = Checkpoint(chain);
        chain[1500] = chain[1500] with { Comment = "edited" };

        var verifier = VerifyAgainst(Relink(chain, Key), checkpoint);

        Assert.Equal(3, checkpoint.Stride);
        Assert.Equal(1000, checkpoint.Marks.Count);
        Assert.Equal(1501, verifier.FirstBrokenSeq);
        Assert.Contains("an event from 1501 to 1503 differs", verifier.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_changed_checkpoint_field_breaks_its_signature()
    {
        var checkpoint = Checkpoint(Chain(5));
        var signingKey = AuditCheckpoints.SigningKey(Key);

        AuditCheckpoint[] changed =
        [
            checkpoint with { Seq = 4 },
            checkpoint with { Hash = new string('a', 64) },
            checkpoint with { At = checkpoint.At.AddMilliseconds(1) },
            checkpoint with { KeyId = "ak_other" },
            checkpoint with { Marks = [.. checkpoint.Marks.Take(4), new string('0', 16)] },
            checkpoint with { Signature = checkpoint.Signature[..^2] },
        ];

        Assert.All(changed, c => Assert.False(AuditCheckpoints.HasValidSignature(signingKey, c)));
        Assert.False(AuditCheckpoints.HasValidSignature(AuditCheckpoints.SigningKey(SHA256.HashData("other"u8)), checkpoint));
    }

    private static AuditCheckpoint Checkpoint(IReadOnlyList<AuditEvent> chain)
    {
        var seq = chain[^1].Seq;
        var stride = AuditCheckpoints.StrideFor(seq);
        var marks = chain.Where(e => e.Seq % stride == 0).Select(e => AuditCheckpoints.Mark(e.Hash)).ToList();
        var unsigned = new AuditCheckpoint(seq, chain[^1].Hash, At.AddSeconds(seq), "ak_test", stride, marks, "");
        return unsigned with { Signature = AuditCheckpoints.Sign(AuditCheckpoints.SigningKey(Key), unsigned) };
    }

    private static AuditChainVerifier VerifyAgainst(List<AuditEvent> chain, AuditCheckpoint checkpoint)
    {
        var verifier = AuditChainVerifier.Keyed(Key);
        verifier.Expect(checkpoint);
        foreach (var e in chain)
        {
            if (!verifier.Accept(e))
            {
                break;
            }
        }

        verifier.Finish(chain[^1].Seq, chain[^1].Hash);
        Assert.False(verifier.IsValid);
        return verifier;
    }

    private static AuditChainVerifier Verify(IEnumerable<AuditEvent> events, long headSeq, string headHash)
    {
        var verifier = AuditChainVerifier.Keyed(Key);
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

    private static List<AuditEvent> Relink(List<AuditEvent> chain, byte[] key)
    {
        var previous = AuditChain.GenesisHash;
        var relinked = new List<AuditEvent>();
        foreach (var e in chain)
        {
            var linked = e with { PreviousHash = previous };
            linked = linked with { Hash = AuditChain.ComputeHash(key, linked) };
            relinked.Add(linked);
            previous = linked.Hash;
        }

        return relinked;
    }

    private static List<AuditEvent> Chain(int count, Func<AuditEvent, string>? hash = null)
    {
        hash ??= e => AuditChain.ComputeHash(Key, e);
        var events = new List<AuditEvent>();
        var previous = AuditChain.GenesisHash;
        for (var seq = 1; seq <= count; seq++)
        {
            var e = new AuditEvent(seq, At.AddSeconds(seq), "user:alice", "request.filed", $"request/{seq}", "billing", "customers", "because", "req-1", "{\"n\":1}", previous, "");
            e = e with { Hash = hash(e) };
            events.Add(e);
            previous = e.Hash;
        }

        return events;
    }
}
