using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;
using Gatehouse.Core.Organisations;

namespace Gatehouse.Storage;

/// <summary>A result with a stable error code (GH4xxx) a person or a program can act on.</summary>
public sealed record StoreResult<T>(T? Value, string? ErrorCode, string? ErrorMessage, StoreErrorKind ErrorKind = StoreErrorKind.None)
{
    public bool Succeeded => ErrorCode is null;

    public static StoreResult<T> Ok(T value) => new(value, null, null);

    public static StoreResult<T> Fail(StoreErrorKind kind, string code, string message) => new(default, code, message, kind);
}

/// <summary>Maps to HTTP: NotFound 404, Forbidden 403, Conflict 409, Invalid 422.</summary>
public enum StoreErrorKind
{
    None,
    NotFound,
    Forbidden,
    Conflict,
    Invalid,
}

/// <summary>A manifest as pushed: the validated model and the exact text it came from.</summary>
public sealed record ManifestUpload(AppManifest Manifest, string SourceText);

public enum ChangeKind
{
    AddApp,
    UpdateApp,
    AddScope,
    ChangeScope,
    DeprecateScope,
    RemoveScope,
    FileRequest,
    AutoGrant,
    SupersedeRequest,
    RevokeGrant,
}

/// <summary>One change a push makes, in words a reviewer reads in a pull request.</summary>
public sealed record PlannedChange(ChangeKind Kind, string App, string Subject, string Description);

public sealed record PushPlan(IReadOnlyList<PlannedChange> Changes)
{
    public bool IsEmpty => Changes.Count == 0;

    /// <summary>
    /// Changes per kind, kinds with none absent. Counted as planned, so a caller that lists only the
    /// first changes never has the words of the rest written (a million-grant push, ADR 0042).
    /// </summary>
    public IReadOnlyDictionary<ChangeKind, int> Counts => Changes is Reconciliation.PlannedChanges planned
        ? planned.Counts
        : Changes.GroupBy(c => c.Kind).ToDictionary(g => g.Key, g => g.Count());
}

/// <summary>An organisation push: whether it changed anything, in words, and what it did about people it removed.</summary>
public sealed record PushSummary(bool Changed, string Description, OffboardingReport? Offboarding = null);

/// <summary>
/// What an organisation push did about people who are no longer in the file (ADR 0011): their
/// personal tokens it revoked, and the deploy tokens and OAuth clients created by anyone no
/// longer in the file that are still live, listed for an admin to revoke (they belong to an app,
/// whose CI or service would stop if the push revoked them).
/// </summary>
public sealed record OffboardingReport(
    IReadOnlyList<string> RemovedUsers,
    IReadOnlyList<TokenInfo> RevokedTokens,
    IReadOnlyList<TokenInfo> DeployTokens,
    IReadOnlyList<ClientInfo> Clients);

/// <summary>An OAuth client as an offboarding report lists it: whose, where, created by whom.</summary>
public sealed record ClientInfo(string Id, string App, string Environment, string? Description, DateTimeOffset CreatedAt, string CreatedBy);

public sealed record OrganisationSnapshot(
    OrganisationFile Organisation,
    string SourceText,
    DateTimeOffset PushedAt,
    string PushedBy);

public sealed record UserInfo(string Name, bool IsAdmin, IReadOnlyList<string> Teams);

public sealed record AppSummary(string Name, string? Description, IReadOnlyList<OwnerRef> Owners, int ScopeCount, int NeedCount);

public sealed record AppDetails(
    AppManifest Manifest,
    string SourceText,
    DateTimeOffset PushedAt,
    string PushedBy,
    IReadOnlyList<string> OwnerUsers);

public sealed record RequestQuery(
    string? Provider = null,
    string? Consumer = null,
    string? Environment = null,
    RequestState? State = null,
    string? ApproverUser = null,
    int Limit = 500);

public sealed record GrantQuery(
    string? Provider = null,
    string? Scope = null,
    string? Consumer = null,
    string? Environment = null,
    bool ActiveOnly = true,
    int Limit = 1000,
    DateTimeOffset? EndingBefore = null);

/// <summary>The answer for one needed access: its state, the request behind it, who can approve it.</summary>
public sealed record AccessCheck(AccessKey Key, AccessState State, long? RequestId, IReadOnlyList<string> Approvers)
{
    /// <summary>When the grant ends (granted) or ended (expired, or pending renewal of an expired grant); null for no end.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>A request waiting for approval while the grant is active (a renewal or a reason change): what an expired grant turns into.</summary>
    public long? PendingRequestId { get; init; }

    /// <summary>
    /// This answer at <paramref name="now"/>: a granted access whose end has passed is expired (or
    /// pending, when a renewal waits). Applied to every answer, fresh or cached (ADR 0023).
    /// </summary>
    public AccessCheck At(DateTimeOffset now)
    {
        var (state, requestId) = AccessStateRules.AtTime(State, RequestId, ExpiresAt, PendingRequestId, now);
        return state == State ? this : this with { State = state, RequestId = requestId };
    }
}

public enum TokenKind
{
    Personal,
    Deploy,
}

public sealed record TokenSubject(TokenKind Kind, string Name);

/// <summary>
/// A token's metadata, never its secret. <see cref="CreatorRemoved"/>: it was created by a person
/// who is no longer in the organisation file (ADR 0011), shown in lists so an admin revokes it.
/// </summary>
public sealed record TokenInfo(
    string Id,
    TokenSubject Subject,
    string? Description,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    DateTimeOffset ExpiresAt,
    DateTimeOffset? RevokedAt,
    bool CreatorRemoved = false);

/// <summary>A token as created: <see cref="Secret"/> exists only here, never in storage or logs.</summary>
public sealed record IssuedToken(TokenInfo Info, string Secret);

/// <summary>
/// Filters of the audit log: <see cref="Since"/> inclusive, <see cref="Until"/> exclusive;
/// <see cref="AfterSeq"/>/<see cref="BeforeSeq"/> page through it; oldest first unless
/// <see cref="NewestFirst"/>.
/// </summary>
public sealed record AuditQuery(
    string? App = null,
    string? Actor = null,
    string? Action = null,
    DateTimeOffset? Since = null,
    DateTimeOffset? Until = null,
    long? AfterSeq = null,
    int Limit = 500,
    long? BeforeSeq = null,
    bool NewestFirst = false);

/// <summary>Result of recomputing the chain: valid, or the first broken link.</summary>
public sealed record AuditVerification(bool Valid, long EventCount, long? FirstBrokenSeq, string? Problem);

public sealed record StoredResponse(int StatusCode, string ContentType, string Body, string RequestFingerprint);
