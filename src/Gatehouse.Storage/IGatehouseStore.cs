using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;
using Gatehouse.Core.Organisations;

namespace Gatehouse.Storage;

/// <summary>
/// The persisted state machine of Gatehouse: catalogue, requests, grants, tokens and the audit
/// chain. Every write is one transaction that also appends its audit events; the same contract
/// is implemented on SQLite and PostgreSQL and tested by one suite on both.
/// Expected refusals come back as <see cref="StoreResult{T}"/> failures with a stable code,
/// never as exceptions. <paramref name="correlationId"/> arguments are the HTTP request id,
/// recorded in the audit event.
/// </summary>
public interface IGatehouseStore
{
    // --- schema ---------------------------------------------------------------------------
    /// <summary>
    /// Applies pending migrations and checks durability settings (refuses weak ones), then
    /// unwraps the audit key (made, and the old chain re-chained, by migration 5); nothing is
    /// written before it has run.
    /// </summary>
    Task MigrateAsync(CancellationToken ct = default);

    // --- organisation and identities --------------------------------------------------------
    Task<StoreResult<PushSummary>> PushOrganisationAsync(OrganisationFile organisation, string sourceText, Actor actor, string? correlationId, CancellationToken ct = default);
    Task<OrganisationSnapshot?> GetOrganisationAsync(CancellationToken ct = default);
    Task<UserInfo?> GetUserAsync(string name, CancellationToken ct = default);

    // --- manifests: plan and push ------------------------------------------------------------
    /// <summary>What <see cref="PushAsync"/> would change, computed without writing.</summary>
    Task<StoreResult<PushPlan>> PlanAsync(IReadOnlyList<ManifestUpload> manifests, Actor actor, CancellationToken ct = default);
    /// <summary>Reconciles the given manifests; idempotent (same input twice = no change, no event).</summary>
    Task<StoreResult<PushPlan>> PushAsync(IReadOnlyList<ManifestUpload> manifests, Actor actor, string? correlationId, CancellationToken ct = default);

    // --- catalogue ----------------------------------------------------------------------------
    Task<IReadOnlyList<AppSummary>> ListAppsAsync(CancellationToken ct = default);
    Task<AppDetails?> GetAppAsync(string app, CancellationToken ct = default);

    // --- workflow -----------------------------------------------------------------------------
    Task<IReadOnlyList<AccessRequest>> ListRequestsAsync(RequestQuery query, CancellationToken ct = default);
    Task<AccessRequest?> GetRequestAsync(long id, CancellationToken ct = default);
    /// <summary>Approves or denies; enforces owner-or-admin, never-your-own-request, two distinct owners; one decision under concurrency.</summary>
    Task<StoreResult<AccessRequest>> DecideAsync(long requestId, Actor actor, bool approve, string? comment, string? correlationId, CancellationToken ct = default);
    /// <summary>
    /// As the other overload; with <paramref name="emergency"/>, an admin's approval with a comment
    /// makes a grant during a freeze of its environment, flagged as an emergency (ADR 0031).
    /// </summary>
    Task<StoreResult<AccessRequest>> DecideAsync(long requestId, Actor actor, bool approve, string? comment, string? correlationId, bool emergency, CancellationToken ct = default);
    Task<StoreResult<Grant>> RevokeAsync(long grantId, Actor actor, string? comment, string? correlationId, CancellationToken ct = default);
    Task<IReadOnlyList<Grant>> ListGrantsAsync(GrantQuery query, CancellationToken ct = default);

    // --- access reviews (ADR 0032) ------------------------------------------------------------
    /// <summary>An admin opens a review of every grant active now (in one environment, or all); null environment means all.</summary>
    Task<StoreResult<AccessReview>> OpenReviewAsync(string? environment, DateTimeOffset deadline, UnconfirmedAction unconfirmed, Actor actor, string? correlationId, CancellationToken ct = default);
    Task<IReadOnlyList<AccessReview>> ListReviewsAsync(bool openOnly, CancellationToken ct = default);
    Task<AccessReview?> GetReviewAsync(long id, CancellationToken ct = default);
    /// <summary>An owner of the provider (or an admin) keeps or revokes one grant; nobody answers for a grant they hold or asked for.</summary>
    Task<StoreResult<ReviewItem>> DecideReviewItemAsync(long reviewId, long grantId, ReviewDecision decision, string? comment, Actor actor, string? correlationId, CancellationToken ct = default);
    /// <summary>The environment's unused-grant policy revokes one grant, if it is still active; audited as <c>policy</c>.</summary>
    Task<bool> RevokeUnusedGrantAsync(long grantId, string reason, CancellationToken ct = default);
    /// <summary>Closes every open review whose deadline has passed, applying its policy to what nobody confirmed; returns them.</summary>
    Task<IReadOnlyList<AccessReview>> CloseDueReviewsAsync(CancellationToken ct = default);
    /// <summary>The state of each needed access in one environment, with who can approve it.</summary>
    Task<IReadOnlyList<AccessCheck>> CheckAsync(IReadOnlyList<AccessKey> keys, CancellationToken ct = default);

    // --- tokens -------------------------------------------------------------------------------
    /// <summary>Creates a personal (user) or deploy (app) token. The secret is returned once and stored only as a hash.</summary>
    Task<StoreResult<IssuedToken>> CreateTokenAsync(TokenSubject subject, DateTimeOffset expiresAt, string? description, Actor actor, string? correlationId, CancellationToken ct = default);
    /// <summary>
    /// Resolves a presented secret to its live token (not revoked, not expired, and for a personal
    /// token its user still in the organisation file), or null.
    /// </summary>
    Task<TokenInfo?> AuthenticateTokenAsync(string secret, CancellationToken ct = default);
    /// <summary>One token's metadata, live or not, or null (the portal re-checks the token a session was opened with).</summary>
    Task<TokenInfo?> GetTokenAsync(string tokenId, CancellationToken ct = default);
    /// <summary>The tokens <paramref name="viewer"/> may see (<see cref="CredentialVisibilityAsync"/>), never their secrets.</summary>
    Task<IReadOnlyList<TokenInfo>> ListTokensAsync(Actor viewer, CancellationToken ct = default);
    /// <summary>Which tokens and OAuth clients an actor may read the metadata of, as of the current organisation and catalogue.</summary>
    Task<CredentialVisibility> CredentialVisibilityAsync(Actor actor, CancellationToken ct = default);
    Task<StoreResult<TokenInfo>> RevokeTokenAsync(string tokenId, Actor actor, string? correlationId, CancellationToken ct = default);

    /// <summary>
    /// A number that moves with every audited change, in any replica: the audit chain's head. An
    /// answer read after the version was <c>v</c> is current for as long as the version is still <c>v</c>,
    /// which is what lets a server cache decisions without ever serving one a change has overtaken.
    /// </summary>
    Task<long> ChangeVersionAsync(CancellationToken ct = default);

    /// <summary>
    /// The change version at the consistency asked (ADR 0033): <see cref="ChangeConsistency.Full"/>
    /// reads the database like <see cref="ChangeVersionAsync(CancellationToken)"/>;
    /// <see cref="ChangeConsistency.Latest"/> answers from memory while this replica's change signal
    /// says nothing changed, never older than <see cref="MaxKnownVersionAge"/>.
    /// </summary>
    ValueTask<long> ChangeVersionAsync(ChangeConsistency consistency, CancellationToken ct = default);

    /// <summary>How old a version answered from memory may be at most, when a change signal was lost.</summary>
    static TimeSpan MaxKnownVersionAge => Changes.ChangeSignal.MaxAge;

    // --- audit --------------------------------------------------------------------------------
    Task<IReadOnlyList<AuditEvent>> ReadAuditAsync(AuditQuery query, CancellationToken ct = default);
    /// <summary>Recomputes the keyed chain from the first event to the head.</summary>
    Task<AuditVerification> VerifyAuditAsync(CancellationToken ct = default);
    /// <summary>
    /// Also proves events 1 to the checkpoint's seq are the ones it recorded (fails naming the
    /// first that differs, even when the chain was re-computed with the audit key). Refuses a
    /// checkpoint this database's audit key did not sign.
    /// </summary>
    Task<StoreResult<AuditVerification>> VerifyAuditAsync(AuditCheckpoint checkpoint, CancellationToken ct = default);
    /// <summary>A signed checkpoint of the chain's head, for an operator to keep outside the database; refused while the chain is broken.</summary>
    Task<StoreResult<AuditCheckpoint>> CreateAuditCheckpointAsync(CancellationToken ct = default);

    // --- idempotency (write endpoints accept an Idempotency-Key) --------------------------------
    Task<StoredResponse?> GetIdempotentResponseAsync(string actor, string key, CancellationToken ct = default);
    Task SaveIdempotentResponseAsync(string actor, string key, StoredResponse response, CancellationToken ct = default);
}
