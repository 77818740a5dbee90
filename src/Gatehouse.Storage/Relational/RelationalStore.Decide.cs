using Gatehouse.Core.Access;

namespace Gatehouse.Storage.Relational;

internal sealed partial class RelationalStore
{
    public Task<StoreResult<AccessRequest>> DecideAsync(long requestId, Actor actor, bool approve, string? comment, string? correlationId, CancellationToken ct = default) =>
        DecideAsync(requestId, actor, approve, comment, correlationId, emergency: false, ct);

    public async Task<StoreResult<AccessRequest>> DecideAsync(long requestId, Actor actor, bool approve, string? comment, string? correlationId, bool emergency, CancellationToken ct = default)
    {
        // Under the write lock: concurrent deciders are serialized, so the first one decides and
        // the others find the request no longer pending.
        await using var scope = await BeginWriteAsync(correlationId, ct);
        var row = await ReadRequestAsync(scope.Connection, scope.Transaction, requestId, ct);
        if (row is not { } found)
        {
            return StoreResult<AccessRequest>.Fail(StoreErrorKind.NotFound, StoreErrors.RequestNotFound, $"request {requestId} does not exist");
        }

        var request = found.Request;
        var owners = await OwnerUsersAsync(scope.Connection, scope.Transaction, request.Key.Provider, ct);
        var name = Names.ApproverName(actor);
        var isAdmin = await IsAdminAsync(scope.Connection, scope.Transaction, actor, ct);
        var outcome = ApprovalRules.Decide(new DecisionInput(
            request.State,
            request.RequiredApproval,
            request.RequestedBy,
            request.People,
            request.Votes,
            actor,
            owners,
            isAdmin,
            approve,
            comment));
        if (outcome.Result == DecisionResult.Refused)
        {
            return Refusal(outcome.Refusal, request, found.DecidedBy, owners, name);
        }

        if (emergency && (!approve || !isAdmin || string.IsNullOrWhiteSpace(comment)))
        {
            return StoreResult<AccessRequest>.Fail(StoreErrorKind.Forbidden, StoreErrors.EmergencyRefused,
                $"an emergency approval of request {requestId} must be an approval, by an admin, with a comment that says why it cannot wait");
        }

        // The organisation is read once, and only when a grant would be made: for its environment's
        // policies (ADR 0031), which hold at that moment, and for the grant's end (ADR 0023).
        var environment = outcome.Result == DecisionResult.Approved
            ? (await ReadOrganisationAsync(scope, ct))?.Model.Environments.FirstOrDefault(e => e.Name == request.Key.Environment)
            : null;
        if (environment is not null && await PolicyRefusalAsync(scope, request, environment, emergency, ct) is { } blocked)
        {
            return blocked;
        }

        var frozen = environment?.FrozenAt(scope.At) is not null;

        if (emergency && !frozen)
        {
            return StoreResult<AccessRequest>.Fail(StoreErrorKind.Conflict, StoreErrors.EmergencyRefused,
                $"request {requestId} needs no emergency approval: {request.Key.Environment} is not frozen now; approve it without --emergency");
        }

        // An approval that would make a grant already over grants nothing: the need's until has passed.
        var end = outcome.Result == DecisionResult.Approved ? await GrantEndAsync(scope, request.Key, environment?.MaxGrantDays, ct) : null;
        if (end is { } over && over <= scope.At)
        {
            return StoreResult<AccessRequest>.Fail(StoreErrorKind.Conflict, StoreErrors.GrantWouldBeExpired,
                $"request {requestId} cannot be approved: the grant would end at {EndText(over)}, which has passed (the need's until in {request.Key.Consumer}'s gatehouse.yaml); change or remove until and push again");
        }

        var text = string.IsNullOrWhiteSpace(comment) ? null : comment;
        await scope.ExecuteAsync(
            "INSERT INTO request_votes (request_id, approver, approve, comment, voted_at) VALUES (@id, @approver, @approve, @comment, @at)",
            ct, ("@id", requestId), ("@approver", name), ("@approve", approve ? 1L : 0L), ("@comment", text), ("@at", scope.Now));
        var access = StoreJson.Data(("access", Names.Subject(request.Key)));
        switch (outcome.Result)
        {
            case DecisionResult.Voted:
                scope.Audit.Append(actor.ToString(), "request.voted", $"request/{requestId}", request.Key.Consumer, request.Key.Provider, text, access);
                break;
            case DecisionResult.Approved:
                await ApproveAsync(scope, actor, request, outcome.Approvers, text, end, frozen, ct);
                break;
            default:
                await DenyAsync(scope, actor, request, name, text!, ct);
                break;
        }

        await scope.CommitAsync(ct);
        return StoreResult<AccessRequest>.Ok((await ReadRequestAsync(scope.Connection, null, requestId, ct))!.Value.Request);
    }

    /// <param name="expiresAt">When the new grant ends (ADR 0023), or null for no end.</param>
    /// <param name="emergency">An admin's approval during a freeze: the grant is flagged, and so are its audit events.</param>
    private static async Task ApproveAsync(WriteScope scope, Actor actor, AccessRequest request, IReadOnlyList<string> approvers, string? comment, DateTimeOffset? expiresAt, bool emergency, CancellationToken ct)
    {
        var key = request.Key;
        var grantedBy = string.Join(", ", approvers);
        await SetDecisionAsync(scope, request.Id, "approved", grantedBy, comment, ct);
        scope.Audit.Append(actor.ToString(), "request.approved", $"request/{request.Id}", key.Consumer, key.Provider, comment,
            emergency
                ? StoreJson.Data(("access", Names.Subject(key)), ("approvers", approvers), ("emergency", true))
                : StoreJson.Data(("access", Names.Subject(key)), ("approvers", approvers)));

        // A reason change: the new grant replaces the old one. A renewal: the ended grant leaves
        // the active slot as what it already was, expired.
        if (await ReadActiveGrantAsync(scope, key, ct) is { } old)
        {
            if (old.State == GrantState.Expired)
            {
                await MarkExpiredAsync(scope, actor.ToString(), old, $"renewed by request {request.Id}", ct);
            }
            else
            {
                await RevokeGrantAsync(scope, actor.ToString(), old.Id, key, $"replaced by request {request.Id}", ct);
            }
        }

        var grantId = Convert.ToInt64(await scope.ScalarAsync("SELECT COALESCE(MAX(id), 0) + 1 FROM grants", ct), System.Globalization.CultureInfo.InvariantCulture);
        await scope.ExecuteAsync("""
            INSERT INTO grants (id, request_id, consumer, provider, scope, environment, state, granted_by, granted_at, expires_at, emergency)
            VALUES (@id, @request, @c, @p, @s, @e, 'active', @by, @at, @expires, @emergency)
            """, ct, ("@id", grantId), ("@request", request.Id), ("@c", key.Consumer), ("@p", key.Provider), ("@s", key.Scope),
            ("@e", key.Environment), ("@by", grantedBy), ("@at", scope.Now), ("@expires", expiresAt?.ToUnixTimeMilliseconds()), ("@emergency", emergency ? 1L : 0L));
        var data = new List<(string, object?)> { ("grant", grantId), ("request", request.Id), ("grantedBy", grantedBy) };
        if (expiresAt is not null)
        {
            data.Add(("expiresAt", EndText(expiresAt)));
        }

        if (emergency)
        {
            data.Add(("emergency", true));
        }

        scope.Audit.Append(actor.ToString(), "grant.created", Names.Subject(key), key.Consumer, key.Provider, data: StoreJson.Data([.. data]));
    }

    private static async Task DenyAsync(WriteScope scope, Actor actor, AccessRequest request, string name, string comment, CancellationToken ct)
    {
        var key = request.Key;
        await SetDecisionAsync(scope, request.Id, "denied", name, comment, ct);
        scope.Audit.Append(actor.ToString(), "request.denied", $"request/{request.Id}", key.Consumer, key.Provider, comment,
            StoreJson.Data(("access", Names.Subject(key))));

        // A denied reason change ends the grant it was meant to replace (an expired one has ended already).
        if (await ReadActiveGrantAsync(scope, key, ct) is { State: GrantState.Active } old)
        {
            await RevokeGrantAsync(scope, actor.ToString(), old.Id, key, $"replacement request {request.Id} was denied", ct);
        }
    }

    private static Task<int> SetDecisionAsync(WriteScope scope, long id, string state, string decidedBy, string? comment, CancellationToken ct) =>
        scope.ExecuteAsync(
            "UPDATE requests SET state = @state, decided_at = @at, decided_by = @by, decision_comment = @comment WHERE id = @id",
            ct, ("@state", state), ("@at", scope.Now), ("@by", decidedBy), ("@comment", comment), ("@id", id));

    private static StoreResult<AccessRequest> Refusal(DecisionRefusal refusal, AccessRequest request, string? decidedBy, IReadOnlyList<string> owners, string name) => refusal switch
    {
        DecisionRefusal.NotOwnerOrAdmin => StoreResult<AccessRequest>.Fail(StoreErrorKind.Forbidden, StoreErrors.DecisionForbidden,
            $"only an owner of {request.Key.Provider} ({OwnerList(owners)}) or an admin can decide request {request.Id}"),
        DecisionRefusal.NotAPerson => StoreResult<AccessRequest>.Fail(StoreErrorKind.Forbidden, StoreErrors.BootstrapRestricted,
            $"the bootstrap token casts no votes: decide request {request.Id} with the personal token of an owner of {request.Key.Provider} ({OwnerList(owners)}) or an admin"),
        DecisionRefusal.OwnRequest => StoreResult<AccessRequest>.Fail(StoreErrorKind.Forbidden, StoreErrors.OwnRequest,
            $"request {request.Id} was filed by {request.RequestedBy}; someone else must decide it"),
        DecisionRefusal.BehindRequest => StoreResult<AccessRequest>.Fail(StoreErrorKind.Forbidden, StoreErrors.BehindRequest,
            $"{name} {Describe(request.People.Where(p => p.Name == name).Select(p => p.Role))} that filed request {request.Id}; someone other than {string.Join(" and ", request.People.Select(p => p.Name).Distinct(StringComparer.Ordinal))} must decide it"),
        DecisionRefusal.NotPending => StoreResult<AccessRequest>.Fail(StoreErrorKind.Conflict, StoreErrors.RequestNotPending,
            $"request {request.Id} is already {Names.Of(request.State)}{(decidedBy is null ? "" : " by " + decidedBy)}"),
        DecisionRefusal.AlreadyApproved => StoreResult<AccessRequest>.Fail(StoreErrorKind.Conflict, StoreErrors.AlreadyApproved,
            $"{name} already approved request {request.Id}; it needs a second approval from a different owner"),
        DecisionRefusal.OwnerApprovalMissing => StoreResult<AccessRequest>.Fail(StoreErrorKind.Forbidden, StoreErrors.OwnerApprovalMissing,
            $"request {request.Id} needs two approvals, at least one from a current owner of {request.Key.Provider} ({OwnerList(owners)}); " +
            $"{string.Join(", ", request.Votes.Where(v => v.Approve).Select(v => v.Approver))} approved already, so the second approval must come from an owner"),
        _ => StoreResult<AccessRequest>.Fail(StoreErrorKind.Invalid, StoreErrors.CommentRequired,
            $"denying request {request.Id} needs a comment that says why"),
    };

    private static string Describe(IEnumerable<PersonRole> roles) => string.Join(" and ", roles.Distinct().Order().Select(role => role switch
    {
        PersonRole.TokenCreator => "created the deploy token",
        PersonRole.Trigger => "triggered the CI run",
        _ => "pushed the manifest",
    }));
}
