using System.Data.Common;
using Gatehouse.Core.Access;
using Gatehouse.Storage.Audit;

namespace Gatehouse.Storage.Relational;

internal sealed partial class RelationalStore
{
    internal const string AuditColumns = "seq, occurred_at, actor, action, subject, app, provider_app, comment, correlation_id, data, previous_hash, hash";

    public async Task<IReadOnlyList<AuditEvent>> ReadAuditAsync(AuditQuery query, CancellationToken ct = default)
    {
        var where = new List<string>();
        var parameters = new List<(string, object?)> { ("@limit", (long)Math.Clamp(query.Limit, 1, 10_000)) };
        if (query.App is { } app)
        {
            where.Add("(app = @app OR provider_app = @app)");
            parameters.Add(("@app", app));
        }

        Filter(where, parameters, "actor", query.Actor);
        Filter(where, parameters, "action", query.Action);
        Range(where, parameters, "occurred_at >= @since", "@since", query.Since?.ToUnixTimeMilliseconds());
        Range(where, parameters, "occurred_at < @until", "@until", query.Until?.ToUnixTimeMilliseconds());
        Range(where, parameters, "seq > @after", "@after", query.AfterSeq);
        Range(where, parameters, "seq < @before", "@before", query.BeforeSeq);
        var order = query.NewestFirst ? "seq DESC" : "seq";

        await using var lease = await Engine.OpenAsync(ct);
        await using var command = Db.Command(lease.Connection, null, $"SELECT {AuditColumns} FROM audit_events {Where(where)} ORDER BY {order} LIMIT @limit", [.. parameters]);
        await using var reader = await command.ExecuteReaderAsync(ct);
        var events = new List<AuditEvent>();
        while (await reader.ReadAsync(ct))
        {
            events.Add(ReadEvent(reader));
        }

        return events;
    }

    public async Task<AuditVerification> VerifyAuditAsync(CancellationToken ct = default)
    {
        var (verifier, _, _) = await ScanChainAsync(RequireAuditKey().Verifier(), null, ct);
        return Result(verifier);
    }

    public async Task<StoreResult<AuditVerification>> VerifyAuditAsync(AuditCheckpoint checkpoint, CancellationToken ct = default)
    {
        var key = RequireAuditKey();
        if (!string.Equals(checkpoint.KeyId, key.Id, StringComparison.Ordinal))
        {
            return StoreResult<AuditVerification>.Fail(StoreErrorKind.Invalid, StoreErrors.AuditCheckpointForeign,
                $"The checkpoint was made with audit key {checkpoint.KeyId}, but this database's audit key is {key.Id}: the checkpoint belongs to another Gatehouse database, or this database's audit key was replaced and its chain re-computed.");
        }

        if (!AuditCheckpoints.HasValidSignature(key.CheckpointKey, checkpoint))
        {
            return StoreResult<AuditVerification>.Fail(StoreErrorKind.Invalid, StoreErrors.AuditCheckpointSignature,
                "The checkpoint's signature does not verify: the file was changed after `gatehouse audit head` made it. Use the copy you stored when it was made.");
        }

        var verifier = key.Verifier();
        verifier.Expect(checkpoint);
        var (verified, _, _) = await ScanChainAsync(verifier, null, ct);
        return StoreResult<AuditVerification>.Ok(Result(verified));
    }

    public async Task<StoreResult<AuditCheckpoint>> CreateAuditCheckpointAsync(CancellationToken ct = default)
    {
        var key = RequireAuditKey();
        var marks = new List<string>();
        var (verifier, headSeq, headHash) = await ScanChainAsync(key.Verifier(), (headSeq, e) =>
        {
            if (e.Seq % AuditCheckpoints.StrideFor(headSeq) == 0 && e.Seq <= headSeq)
            {
                marks.Add(AuditCheckpoints.Mark(e.Hash));
            }
        }, ct);

        if (!verifier.IsValid)
        {
            return StoreResult<AuditCheckpoint>.Fail(StoreErrorKind.Conflict, StoreErrors.AuditChainBroken,
                $"The audit chain does not verify (event {verifier.FirstBrokenSeq}: {verifier.Problem}), so no checkpoint vouches for it. Find out what changed first.");
        }

        var unsigned = new AuditCheckpoint(headSeq, headHash, DateTimeOffset.FromUnixTimeMilliseconds(Now), key.Id, AuditCheckpoints.StrideFor(headSeq), marks, string.Empty);
        return StoreResult<AuditCheckpoint>.Ok(unsigned with { Signature = AuditCheckpoints.Sign(key.CheckpointKey, unsigned) });
    }

    /// <summary>Streams the chain in seq order (constant memory) from one snapshot, then checks the head.</summary>
    private async Task<(AuditChainVerifier Verifier, long HeadSeq, string HeadHash)> ScanChainAsync(AuditChainVerifier verifier, Action<long, AuditEvent>? accepted, CancellationToken ct)
    {
        await using var lease = await Engine.OpenAsync(ct);
        await using var snapshot = await Engine.BeginSnapshotAsync(lease.Connection, ct);
        long headSeq = 0;
        var headHash = AuditChain.GenesisHash;
        await using (var command = Db.Command(lease.Connection, snapshot, "SELECT seq, hash FROM audit_head WHERE id = 1"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            if (await reader.ReadAsync(ct))
            {
                (headSeq, headHash) = (reader.GetInt64(0), reader.GetString(1));
            }
        }

        await using (var command = Db.Command(lease.Connection, snapshot, $"SELECT {AuditColumns} FROM audit_events ORDER BY seq"))
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var e = ReadEvent(reader);
                if (!verifier.Accept(e))
                {
                    break;
                }

                accepted?.Invoke(headSeq, e);
            }
        }

        verifier.Finish(headSeq, headHash);
        return (verifier, headSeq, headHash);
    }

    private AuditKey RequireAuditKey() =>
        Engine.AuditKey ?? throw new InvalidOperationException("The audit key is not loaded: call MigrateAsync before using the store.");

    private static AuditVerification Result(AuditChainVerifier verifier) =>
        new(verifier.IsValid, verifier.EventCount, verifier.FirstBrokenSeq, verifier.Problem);

    internal static AuditEvent ReadEvent(DbDataReader reader) => new(
        reader.GetInt64(0),
        reader.Time(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetString(4),
        reader.NullableString(5),
        reader.NullableString(6),
        reader.NullableString(7),
        reader.NullableString(8),
        reader.NullableString(9),
        reader.GetString(10),
        reader.GetString(11));

    private static void Range(List<string> where, List<(string, object?)> parameters, string condition, string name, long? value)
    {
        if (value is { } v)
        {
            where.Add(condition);
            parameters.Add((name, v));
        }
    }
}
