using Gatehouse.Core.Manifests;

namespace Gatehouse.Core.Access;

/// <summary>Who acts: a person, an app through its deploy token, the bootstrap admin, or a policy.</summary>
public enum ActorKind
{
    User,
    App,
    Bootstrap,
    Policy,
}

/// <summary>The authenticated caller of a store operation.</summary>
public sealed record Actor(ActorKind Kind, string Name)
{
    public static readonly Actor Policy = new(ActorKind.Policy, "policy");

    /// <summary>The token the caller authenticated with, when known: the store finds a deploy token's creator by it.</summary>
    public string? TokenId { get; init; }

    /// <summary>
    /// Who the CI system says triggered the run that pushes with a deploy token. It only ever adds
    /// a person who may not decide what the push files; it grants nothing.
    /// </summary>
    public string? TriggeredBy { get; init; }

    /// <summary>
    /// For an app acting through a CI run's OpenID Connect token (ADR 0021): the trusted issuer and
    /// rule that admitted it, as <c>issuer/rule</c>. Such a caller used no deploy token, so no
    /// token creator stands behind what it files; the run's trigger does.
    /// </summary>
    public string? CiRule { get; init; }

    public override string ToString() => Kind switch
    {
        ActorKind.User => $"user:{Name}",
        ActorKind.App => $"app:{Name}",
        ActorKind.Bootstrap => "bootstrap",
        _ => "policy",
    };
}

/// <summary>One unit of access: consumer app may use provider's scope in an environment.</summary>
public readonly record struct AccessKey(string Consumer, string Provider, string Scope, string Environment)
{
    public string ScopeName => $"{Provider}:{Scope}";

    public override string ToString() => $"{Consumer} -> {Provider}:{Scope} in {Environment}";
}

public enum RequestState
{
    Pending,
    Approved,
    Denied,

    /// <summary>The need changed or was removed before a decision; a new request replaces it.</summary>
    Superseded,
}

public enum GrantState
{
    Active,
    Revoked,

    /// <summary>Its end (<see cref="Grant.ExpiresAt"/>) has passed: honoured nowhere, like a revoked grant (ADR 0023).</summary>
    Expired,
}

/// <summary>What <c>check</c> reports for one needed access.</summary>
public enum AccessState
{
    Granted,
    NotRequested,
    Pending,
    Denied,
    Revoked,

    /// <summary>The grant reached its end; a new approval renews it (ADR 0023).</summary>
    Expired,
}

public sealed record ApprovalVote(string Approver, bool Approve, string? Comment, DateTimeOffset At);

/// <summary>How a person stands behind a request (docs/adr/0005-grant-workflow.md).</summary>
public enum PersonRole
{
    /// <summary>Pushed the manifest with their personal token.</summary>
    Pusher,

    /// <summary>Created the deploy token that pushed it.</summary>
    TokenCreator,

    /// <summary>Triggered the CI run that pushed it with a deploy token.</summary>
    Trigger,
}

/// <summary>One of the people behind a request: none of them may decide it.</summary>
public sealed record RequestPerson(string Name, PersonRole Role);

/// <summary>A request for one access key, exactly as it was filed (an approval applies to this text only).</summary>
public sealed record AccessRequest(
    long Id,
    AccessKey Key,
    string Reason,
    RequestState State,
    ApprovalMode RequiredApproval,
    string RequestedBy,
    DateTimeOffset RequestedAt,
    DateTimeOffset? DecidedAt,
    IReadOnlyList<ApprovalVote> Votes)
{
    /// <summary>The people behind the request, recorded when it was filed.</summary>
    public IReadOnlyList<RequestPerson> People { get; init; } = [];
}

public sealed record Grant(
    long Id,
    long RequestId,
    AccessKey Key,
    GrantState State,
    string GrantedBy,
    DateTimeOffset GrantedAt,
    string? RevokedBy,
    DateTimeOffset? RevokedAt,
    string? RevokeReason)
{
    /// <summary>When the grant ends, or null when it lasts until revoked. <see cref="State"/> is already <see cref="GrantState.Expired"/> once this has passed.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Made during a freeze of its environment by an admin's emergency approval (ADR 0031).</summary>
    public bool Emergency { get; init; }
}

/// <summary>
/// An append-only, hash-chained record of one state change. <see cref="App"/> and
/// <see cref="ProviderApp"/> place it in the history of the apps it concerns (the consumer and
/// the provider of a request or grant); like every other field they are covered by the hash.
/// </summary>
public sealed record AuditEvent(
    long Seq,
    DateTimeOffset At,
    string Actor,
    string Action,
    string Subject,
    string? App,
    string? ProviderApp,
    string? Comment,
    string? RequestId,
    string? Data,
    string PreviousHash,
    string Hash);
