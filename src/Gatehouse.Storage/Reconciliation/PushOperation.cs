using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;

namespace Gatehouse.Storage.Reconciliation;

/// <summary>One write a push makes; the writer turns each into rows and audit events.</summary>
internal abstract record PushOperation;

internal sealed record AddAppOperation(ManifestUpload Upload) : PushOperation;

internal sealed record UpdateAppOperation(ManifestUpload Upload, string Summary) : PushOperation;

internal sealed record AddScopeOperation(string App, ScopeDeclaration Scope) : PushOperation;

/// <param name="Deprecated">True when this change adds a deprecation (audited as scope.deprecated).</param>
internal sealed record ChangeScopeOperation(string App, ScopeDeclaration Scope, bool Deprecated, string Summary) : PushOperation;

internal sealed record RemoveScopeOperation(string App, string Scope) : PushOperation;

internal sealed record SupersedeRequestOperation(long RequestId, AccessKey Key, string Why) : PushOperation;

internal sealed record RevokeGrantOperation(long GrantId, AccessKey Key, string Comment) : PushOperation;

/// <param name="ReplacesGrantId">The active grant a reason change replaces; revoked at once only when the policy approves at once.</param>
internal sealed record FileRequestOperation(AccessKey Key, string Reason, ApprovalMode Mode, long? ReplacesGrantId) : PushOperation
{
    /// <summary>The replaced grant has ended: a renewal, which marks it expired rather than revoked.</summary>
    public bool ReplacesEndedGrant { get; init; }

    /// <summary>When a grant made at once by policy (auto) ends (ADR 0023).</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}

/// <summary>The planner's answer: the operations and the same changes in words, or a refusal.</summary>
internal sealed record PlanOutcome(
    IReadOnlyList<PushOperation> Operations,
    IReadOnlyList<PlannedChange> Changes,
    StoreErrorKind ErrorKind = StoreErrorKind.None,
    string? ErrorCode = null,
    string? ErrorMessage = null)
{
    public bool Succeeded => ErrorCode is null;

    public static PlanOutcome Fail(StoreErrorKind kind, string code, string message) => new([], [], kind, code, message);
}
