using Gatehouse.Core.Access;
using Gatehouse.Core.Manifests;
using Gatehouse.Storage.Reconciliation;

namespace Gatehouse.Storage.Relational;

/// <summary>
/// Executes a planned push inside its write transaction: rows are collected per table and
/// written in bulk a round of operations at a time, audit events are appended in plan order.
/// Every request it files records <paramref name="people"/>, the people behind the push, who
/// may not decide it.
/// </summary>
internal sealed class PushWriter(WriteScope scope, Actor actor, IReadOnlyList<RequestPerson> people)
{
    private static readonly string[] AppColumns = ["name", "description", "model", "source_text", "need_count", "created_at", "pushed_at", "pushed_by"];
    private static readonly string[] OwnerColumns = ["app", "position", "kind", "name"];
    private static readonly string[] ScopeColumns = ["app", "name", "description", "approval", "deprecation", "replaced_by", "max_grant_days"];
    private static readonly string[] RequestColumns =
        ["id", "consumer", "provider", "scope", "environment", "reason", "state", "required_approval", "requested_by", "requested_at", "decided_at", "decided_by"];

    private static readonly string[] PeopleColumns = ["request_id", "person", "role"];
    private static readonly string[] GrantColumns = ["id", "request_id", "consumer", "provider", "scope", "environment", "state", "granted_by", "granted_at", "expires_at"];

    private readonly string _actor = actor.ToString();
    private readonly object _now = scope.Now; // boxed once: every row of the push holds the same time
    private readonly string[] _approvers = [Actor.Policy.ToString()];
    private readonly string _policy = Actor.Policy.ToString();
    private readonly RequestPerson[] _people = [.. people.DistinctBy(p => (p.Name, p.Role))];
    private readonly string[] _peopleText = [.. people.DistinctBy(p => (p.Name, p.Role)).Select(p => $"{p.Name} ({Names.Of(p.Role)})")];
    private readonly List<object?[]> _appInserts = [];
    private readonly List<object?[]> _appUpdates = [];
    private readonly List<object?[]> _ownerDeletes = [];
    private readonly List<object?[]> _ownerInserts = [];
    private readonly List<object?[]> _scopeInserts = [];
    private readonly List<object?[]> _scopeUpdates = [];
    private readonly List<object?[]> _scopeDeletes = [];
    private readonly List<object?[]> _supersedes = [];
    private readonly List<object?[]> _revokes = [];
    private readonly List<object?[]> _expiries = [];
    private readonly List<object?[]> _requestInserts = [];
    private readonly List<object?[]> _peopleInserts = [];
    private readonly List<object?[]> _grantInserts = [];
    private long _nextRequestId;
    private long _nextGrantId;

    /// <summary>
    /// Operations per round of writes. A push of a million grants is millions of rows and audit
    /// events: written a round at a time inside the one transaction, what the server holds at once
    /// stays bounded (ADR 0037). Rounds keep plan order, and inside one the tables are written in
    /// the order below, so every row an operation depends on is written before it.
    /// </summary>
    internal const int OperationsPerRound = 10_000;

    /// <summary>
    /// The indexes led by the providing app: a push files requests consumer by consumer, so each
    /// row lands on a page of these far from the last one, and a large push rewrote most of their
    /// pages over and over. Suspended while a push writes many rows next to few stored ones, and
    /// built again by one sort before the commit (ADR 0042).
    /// </summary>
    private static readonly (string Table, string[] Indexes)[] ProviderIndexes =
    [
        ("requests", ["ix_requests_provider"]),
        ("grants", ["ix_grants_provider"]),
        ("audit_events", ["ix_audit_events_provider_app"]),
    ];

    /// <summary>Rows a push must add to a table, at least, before its provider index is built again rather than kept up.</summary>
    internal const int RowsToRebuildIndexes = 20_000;

    public async Task ApplyAsync(IReadOnlyList<PushOperation> operations, CancellationToken ct)
    {
        // Ids are assigned here, under the write lock, so the plan's events can name them.
        _nextRequestId = await NextIdAsync("requests", ct);
        _nextGrantId = await NextIdAsync("grants", ct);
        var rebuild = await SuspendProviderIndexesAsync(operations, ct);
        for (var start = 0; start < operations.Count; start += OperationsPerRound)
        {
            for (var i = start; i < Math.Min(operations.Count, start + OperationsPerRound); i++)
            {
                Collect(operations[i]);
            }

            await WriteRoundAsync(ct);

            // The round's audit events, in sequence, in the same transaction: the commit writes
            // what is left and the chain's head (ADR 0012).
            await scope.Audit.FlushAsync(scope, ct);
        }

        foreach (var sql in rebuild)
        {
            await scope.ExecuteAsync(sql, ct);
        }
    }

    /// <summary>Suspends the provider index of each table this push at least a quarter-fills again, and returns what builds them.</summary>
    private async Task<List<string>> SuspendProviderIndexesAsync(IReadOnlyList<PushOperation> operations, CancellationToken ct)
    {
        var requests = 0L;
        var grants = 0L;
        foreach (var operation in operations)
        {
            if (operation is FileRequestOperation file)
            {
                requests++;
                grants += file.Mode == ApprovalMode.Auto ? 1 : 0;
            }
        }

        // Every request writes at least one event; stored rows are counted by their highest id.
        var added = new Dictionary<string, (long Added, long Stored)>
        {
            ["requests"] = (requests, _nextRequestId - 1),
            ["grants"] = (grants, _nextGrantId - 1),
            ["audit_events"] = (requests, scope.Audit.Seq),
        };
        var rebuild = new List<string>();
        foreach (var (table, indexes) in ProviderIndexes)
        {
            var (rows, stored) = added[table];
            if (rows >= RowsToRebuildIndexes && rows * 4 >= stored)
            {
                rebuild.AddRange(await scope.Engine.SuspendIndexesAsync(scope.Connection, scope.Transaction, indexes, ct));
            }
        }

        return rebuild;
    }

    private async Task WriteRoundAsync(CancellationToken ct)
    {
        await scope.InsertManyAsync("apps", AppColumns, _appInserts, ct);
        await scope.ExecuteManyAsync(
            "UPDATE apps SET description = @description, model = @model, source_text = @source, need_count = @needs, pushed_at = @at, pushed_by = @by WHERE name = @name",
            ["@description", "@model", "@source", "@needs", "@at", "@by", "@name"], _appUpdates, ct);
        await scope.ExecuteManyAsync("DELETE FROM app_owners WHERE app = @app", ["@app"], _ownerDeletes, ct);
        await scope.InsertManyAsync("app_owners", OwnerColumns, _ownerInserts, ct);
        await scope.InsertManyAsync("scopes", ScopeColumns, _scopeInserts, ct);
        await scope.ExecuteManyAsync(
            "UPDATE scopes SET description = @description, approval = @approval, deprecation = @deprecation, replaced_by = @replaced, max_grant_days = @days WHERE app = @app AND name = @name",
            ["@description", "@approval", "@deprecation", "@replaced", "@days", "@app", "@name"], _scopeUpdates, ct);
        await scope.ExecuteManyAsync("DELETE FROM scopes WHERE app = @app AND name = @name", ["@app", "@name"], _scopeDeletes, ct);
        await scope.ExecuteManyAsync(
            "UPDATE requests SET state = 'superseded', decided_at = @at, decided_by = @by, decision_comment = @why WHERE id = @id AND state = 'pending'",
            ["@at", "@by", "@why", "@id"], _supersedes, ct);

        // Revocations before inserts: a replacement grant may only be active once the old one is not.
        await scope.ExecuteManyAsync(
            "UPDATE grants SET state = 'revoked', revoked_by = @by, revoked_at = @at, revoke_reason = @reason WHERE id = @id AND state = 'active'",
            ["@by", "@at", "@reason", "@id"], _revokes, ct);
        await scope.ExecuteManyAsync("UPDATE grants SET state = 'expired' WHERE id = @id AND state = 'active'", ["@id"], _expiries, ct);
        await scope.InsertManyAsync("requests", RequestColumns, _requestInserts, ct);
        await scope.InsertManyAsync("request_people", PeopleColumns, _peopleInserts, ct);
        await scope.InsertManyAsync("grants", GrantColumns, _grantInserts, ct);
        foreach (var rows in (List<object?[]>[])[_appInserts, _appUpdates, _ownerDeletes, _ownerInserts, _scopeInserts, _scopeUpdates, _scopeDeletes,
            _supersedes, _revokes, _expiries, _requestInserts, _peopleInserts, _grantInserts])
        {
            rows.Clear();
        }
    }

    private async Task<long> NextIdAsync(string table, CancellationToken ct) =>
        Convert.ToInt64(await scope.ScalarAsync($"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}", ct), System.Globalization.CultureInfo.InvariantCulture);

    private void Collect(PushOperation operation)
    {
        switch (operation)
        {
            case AddAppOperation add:
                AddApp(add.Upload);
                break;
            case UpdateAppOperation update:
                UpdateApp(update.Upload, update.Summary);
                break;
            case AddScopeOperation add:
                _scopeInserts.Add(ScopeRow(add.App, add.Scope));
                scope.Audit.Append(_actor, "scope.added", $"{add.App}:{add.Scope.Name}", add.App,
                    data: StoreJson.Data(("approval", Names.Of(add.Scope.Approval)), ("description", add.Scope.Description), ("deprecated", add.Scope.Deprecation?.Message)));
                break;
            case ChangeScopeOperation change:
                var row = ScopeRow(change.App, change.Scope);
                _scopeUpdates.Add([row[2], row[3], row[4], row[5], row[6], row[0], row[1]]);
                scope.Audit.Append(_actor, change.Deprecated ? "scope.deprecated" : "scope.changed", $"{change.App}:{change.Scope.Name}", change.App,
                    comment: change.Deprecated ? change.Scope.Deprecation!.Message : null, data: StoreJson.Data(("changes", change.Summary)));
                break;
            case RemoveScopeOperation remove:
                _scopeDeletes.Add([remove.App, remove.Scope]);
                scope.Audit.Append(_actor, "scope.removed", $"{remove.App}:{remove.Scope}", remove.App);
                break;
            case SupersedeRequestOperation supersede:
                _supersedes.Add([_now, _actor, supersede.Why, supersede.RequestId]);
                scope.Audit.Append(_actor, "request.superseded", $"request/{supersede.RequestId}", supersede.Key.Consumer, supersede.Key.Provider,
                    supersede.Why, StoreJson.Data(("access", Names.Subject(supersede.Key))));
                break;
            case RevokeGrantOperation revoke:
                Revoke(_actor, revoke.GrantId, revoke.Key, revoke.Comment);
                break;
            case FileRequestOperation file:
                FileRequest(file);
                break;
            default:
                throw new InvalidOperationException($"Unknown push operation {operation.GetType().Name}.");
        }
    }

    private void AddApp(ManifestUpload upload)
    {
        var manifest = upload.Manifest;
        _appInserts.Add([manifest.App, manifest.Description, StoreJson.Serialize(manifest), upload.SourceText, (long)manifest.Needs.Count, _now, _now, _actor]);
        AddOwners(manifest);
        scope.Audit.Append(_actor, "app.created", $"app/{manifest.App}", manifest.App,
            data: StoreJson.Data(("owners", manifest.Owners.Select(o => o.ToString())), ("description", manifest.Description)));
    }

    private void UpdateApp(ManifestUpload upload, string summary)
    {
        var manifest = upload.Manifest;
        _appUpdates.Add([manifest.Description, StoreJson.Serialize(manifest), upload.SourceText, (long)manifest.Needs.Count, _now, _actor, manifest.App]);
        _ownerDeletes.Add([manifest.App]);
        AddOwners(manifest);
        scope.Audit.Append(_actor, "app.updated", $"app/{manifest.App}", manifest.App, comment: $"{summary} changed",
            data: StoreJson.Data(("owners", manifest.Owners.Select(o => o.ToString())), ("description", manifest.Description)));
    }

    private void AddOwners(AppManifest manifest)
    {
        var position = 0L;
        foreach (var owner in manifest.Owners.DistinctBy(o => o.ToString()))
        {
            _ownerInserts.Add([manifest.App, position++, Names.Of(owner.Kind), owner.Name]);
        }
    }

    private static object?[] ScopeRow(string app, ScopeDeclaration declaration) =>
        [app, declaration.Name, declaration.Description, Names.Of(declaration.Approval), declaration.Deprecation?.Message, declaration.Deprecation?.ReplacedBy, (long?)declaration.MaxGrantDays];

    private void FileRequest(FileRequestOperation file)
    {
        var key = file.Key;
        var subject = Names.Subject(key);
        var id = _nextRequestId++;
        var request = $"request/{id}";
        var auto = file.Mode == ApprovalMode.Auto;
        _requestInserts.Add([id, key.Consumer, key.Provider, key.Scope, key.Environment, file.Reason,
            auto ? "approved" : "pending", Names.Of(file.Mode), _actor, _now, auto ? _now : null, auto ? _policy : null]);
        foreach (var person in _people)
        {
            _peopleInserts.Add([id, person.Name, Names.Of(person.Role)]);
        }

        scope.Audit.Append(_actor, "request.filed", request, key.Consumer, key.Provider, file.Reason,
            actor.CiRule is { } ci
                ? StoreJson.Data(("access", subject), ("approval", Names.Of(file.Mode)), ("people", _peopleText), ("ciRule", ci))
                : StoreJson.Data(("access", subject), ("approval", Names.Of(file.Mode)), ("people", _peopleText)));
        if (!auto)
        {
            return;
        }

        scope.Audit.Append(_policy, "request.approved", request, key.Consumer, key.Provider, "approved by policy",
            StoreJson.Data(("access", subject), ("approvers", _approvers)));
        if (file.ReplacesGrantId is { } old)
        {
            if (file.ReplacesEndedGrant)
            {
                // Renewal of a grant that ended: it leaves the active slot as what it already was.
                _expiries.Add([old]);
                scope.Audit.Append(_policy, "grant.expired", subject, key.Consumer, key.Provider, $"renewed by request {id}",
                    StoreJson.Data(("grant", old)));
            }
            else
            {
                Revoke(_policy, old, key, $"replaced by request {id}");
            }
        }

        var grantId = _nextGrantId++;
        var expiresAt = file.ExpiresAt?.ToUnixTimeMilliseconds();
        _grantInserts.Add([grantId, id, key.Consumer, key.Provider, key.Scope, key.Environment, Names.Active, _policy, _now, expiresAt]);
        scope.Audit.Append(_policy, "grant.created", subject, key.Consumer, key.Provider,
            data: file.ExpiresAt is null
                ? StoreJson.Data(("grant", grantId), ("request", id))
                : StoreJson.Data(("grant", grantId), ("request", id), ("expiresAt", RelationalStore.EndText(file.ExpiresAt))));
    }

    private void Revoke(string by, long grantId, AccessKey key, string comment)
    {
        _revokes.Add([by, _now, comment, grantId]);
        scope.Audit.Append(by, "grant.revoked", Names.Subject(key), key.Consumer, key.Provider, comment,
            StoreJson.Data(("grant", grantId)));
    }
}
