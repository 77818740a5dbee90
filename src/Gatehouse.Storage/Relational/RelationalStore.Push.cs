using System.Data.Common;
using Gatehouse.Core.Access;
using Gatehouse.Storage.Reconciliation;

namespace Gatehouse.Storage.Relational;

internal sealed partial class RelationalStore
{
    /// <summary>From this many operations a push commits as a large write (<see cref="StoreEngine.CommitLargeAsync"/>).</summary>
    internal const int LargePush = 10_000;

    private PushStateLoader? _pushStateLoader;

    private PushStateLoader PushStateLoader => _pushStateLoader ??= new PushStateLoader(Engine);

    public async Task<StoreResult<PushPlan>> PlanAsync(IReadOnlyList<ManifestUpload> manifests, Actor actor, CancellationToken ct = default)
    {
        await using var lease = await Engine.OpenAsync(ct);
        await using var snapshot = await Engine.BeginSnapshotAsync(lease.Connection, ct);
        var outcome = await PlanInAsync(lease.Connection, snapshot, manifests, actor, ct);
        return ToResult(outcome);
    }

    public async Task<StoreResult<PushPlan>> PushAsync(IReadOnlyList<ManifestUpload> manifests, Actor actor, string? correlationId, CancellationToken ct = default)
    {
        await using var scope = await BeginWriteAsync(correlationId, ct);

        // Planned again under the write lock: what is written is computed from the latest state.
        var outcome = await PlanInAsync(scope.Connection, scope.Transaction, manifests, actor, ct);
        if (!outcome.Succeeded || outcome.Operations.Count == 0)
        {
            return ToResult(outcome);
        }

        var people = outcome.Operations.Any(o => o is FileRequestOperation) ? await PeopleBehindAsync(scope, actor, ct) : [];
        await new PushWriter(scope, actor, people).ApplyAsync(outcome.Operations, ct);
        if (outcome.Operations.Count >= LargePush)
        {
            await Engine.CommitLargeAsync(scope.Connection, () => scope.CommitAsync(ct));
        }
        else
        {
            await scope.CommitAsync(ct);
        }

        return ToResult(outcome);
    }

    private async Task<PlanOutcome> PlanInAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<ManifestUpload> manifests, Actor actor, CancellationToken ct)
    {
        var organisation = await ReadOrganisationAsync(connection, transaction, ct);
        if (organisation is null)
        {
            return PlanOutcome.Fail(StoreErrorKind.Invalid, StoreErrors.OrganisationMissing,
                "no organisation file has been pushed yet: push the organisation file first (gatehouse.org.yaml)");
        }

        if (manifests.Count == 0)
        {
            return new PlanOutcome([], []);
        }

        var state = await PushStateLoader.LoadAsync(connection, transaction, organisation.Value.Model, manifests, time.GetUtcNow(), ct);
        return ReconciliationPlanner.Plan(actor, manifests, state);
    }

    private static StoreResult<PushPlan> ToResult(PlanOutcome outcome) => outcome.Succeeded
        ? StoreResult<PushPlan>.Ok(new PushPlan(outcome.Changes))
        : StoreResult<PushPlan>.Fail(outcome.ErrorKind, outcome.ErrorCode!, outcome.ErrorMessage!);
}
