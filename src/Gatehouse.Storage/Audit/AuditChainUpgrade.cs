using System.Data.Common;
using Gatehouse.Core.Access;
using Gatehouse.Storage.Relational;

namespace Gatehouse.Storage.Audit;

/// <summary>
/// Re-chains the events an older Gatehouse wrote (unkeyed, version 1) under the audit key, then
/// appends an <c>audit.rechained</c> event that records what was re-chained: the old head, the
/// number of events and whether the old chain verified (a break found here stays on record in
/// the keyed chain). Runs inside migration 5, so it happens once, when the key is made.
/// </summary>
internal static class AuditChainUpgrade
{
    public const string Action = "audit.rechained";
    private const int BatchSize = 1000;

    public static async Task RechainAsync(StoreEngine engine, DbConnection connection, DbTransaction transaction, AuditKey key, long now, CancellationToken ct)
    {
        // Every writer, in every replica, locks the head row first (PostgreSQL: FOR UPDATE); a
        // no-op update takes that lock portably, so no older replica appends while we re-chain.
        await Db.ExecuteAsync(connection, transaction, "UPDATE audit_head SET seq = seq WHERE id = 1", ct);
        var (headSeq, headHash) = await ReadHeadAsync(connection, transaction, ct);

        var legacy = AuditChainVerifier.Legacy();
        var previous = AuditChain.GenesisHash;
        long lastSeq = 0, count = 0;
        while (true)
        {
            var batch = await ReadBatchAsync(connection, transaction, lastSeq, ct);
            if (batch.Count == 0)
            {
                break;
            }

            var updates = new List<object?[]>(batch.Count);
            foreach (var e in batch)
            {
                legacy.Accept(e);
                var hash = key.Hash(e with { PreviousHash = previous });
                updates.Add([previous, hash, e.Seq]);
                previous = hash;
                lastSeq = e.Seq;
                count++;
            }

            await engine.ExecuteManyAsync(connection, transaction,
                "UPDATE audit_events SET previous_hash = @previous_hash, hash = @hash WHERE seq = @seq", ["@previous_hash", "@hash", "@seq"], updates, ct);
        }

        if (count == 0 && headSeq == 0)
        {
            return; // a new database: nothing to re-chain
        }

        legacy.Finish(headSeq, headHash);

        // Gaps and lost newest events stay visible: seqs are kept, and the record follows the old head.
        using var writer = new AuditWriter(Math.Max(headSeq, lastSeq), previous, now, null, key);
        writer.Append("gatehouse", Action, "audit/chain", null,
            comment: $"Re-chained {count} events written before the chain was keyed under audit key {key.Id} (HMAC-SHA256, ADR 0012)",
            data: StoreJson.Data(
                ("from", "gatehouse-audit-v1"),
                ("to", "gatehouse-audit-v2"),
                ("events", count),
                ("keyId", key.Id),
                ("previousHeadSeq", headSeq),
                ("previousHeadHash", headHash),
                ("previousChain", legacy.IsValid ? "verified" : $"broken at event {legacy.FirstBrokenSeq}: {legacy.Problem}")));
        await writer.FlushAsync(engine, connection, transaction, ct);
    }

    private static async Task<(long Seq, string Hash)> ReadHeadAsync(DbConnection connection, DbTransaction transaction, CancellationToken ct)
    {
        await using var command = Db.Command(connection, transaction, "SELECT seq, hash FROM audit_head WHERE id = 1");
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? (reader.GetInt64(0), reader.GetString(1))
            : throw new InvalidOperationException("The audit_head row is missing.");
    }

    private static async Task<List<AuditEvent>> ReadBatchAsync(DbConnection connection, DbTransaction transaction, long afterSeq, CancellationToken ct)
    {
        var events = new List<AuditEvent>(BatchSize);
        await using var command = Db.Command(connection, transaction,
            $"SELECT {RelationalStore.AuditColumns} FROM audit_events WHERE seq > @after ORDER BY seq LIMIT {BatchSize}", ("@after", afterSeq));
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            events.Add(RelationalStore.ReadEvent(reader));
        }

        return events;
    }
}
