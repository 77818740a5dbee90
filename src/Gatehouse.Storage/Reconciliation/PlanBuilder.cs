using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;
using Gatehouse.Storage.Relational;

namespace Gatehouse.Storage.Reconciliation;

/// <summary>Collects operations and their descriptions in the order a reviewer reads them.</summary>
internal sealed class PlanBuilder
{
    private readonly List<PushOperation> _operations = [];
    private readonly PlannedChanges _changes = new();

    public HashSet<long> SupersededRequests { get; } = [];

    public HashSet<long> RevokedGrants { get; } = [];

    public List<(string App, string Scope)> RemovedScopes { get; } = [];

    public void Add(PushOperation operation, ChangeKind kind, string app, string subject, string description)
    {
        _operations.Add(operation);
        _changes.Add(new PlannedChange(kind, app, subject, description));
    }

    public void Supersede(long requestId, AccessKey key, string why)
    {
        if (SupersededRequests.Add(requestId))
        {
            Add(new SupersedeRequestOperation(requestId, key, why), ChangeKind.SupersedeRequest, key.Consumer, Names.Subject(key),
                $"withdraw pending request {requestId} for {key.Provider}:{key.Scope} in {key.Environment} ({why})");
        }
    }

    public void Revoke(long grantId, AccessKey key, string comment)
    {
        if (RevokedGrants.Add(grantId))
        {
            Add(new RevokeGrantOperation(grantId, key, comment), ChangeKind.RevokeGrant, key.Consumer, Names.Subject(key),
                $"revoke grant {grantId} of {key.Provider}:{key.Scope} to {key.Consumer} in {key.Environment} ({comment})");
        }
    }

    /// <param name="replacesEndedGrant">The grant replaced has ended: the request renews it (ADR 0023).</param>
    /// <param name="expiresAt">When the grant ends if it is made at once (auto).</param>
    public void File(AccessKey key, string reason, ApprovalMode mode, long? replacesGrantId, bool replacesEndedGrant = false, DateTimeOffset? expiresAt = null)
    {
        var file = new FileRequestOperation(key, reason, mode, replacesGrantId) { ReplacesEndedGrant = replacesEndedGrant, ExpiresAt = expiresAt };
        _operations.Add(file);
        _changes.Add(file);
    }

    public PlanOutcome Build() => new(_operations, _changes);
}
