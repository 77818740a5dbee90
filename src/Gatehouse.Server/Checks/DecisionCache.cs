using Gatehouse.Core.Access;
using Gatehouse.Storage;
using Microsoft.AspNetCore.Http;

namespace Gatehouse.Server.Checks;

/// <summary>
/// Answers the run-time hot path (bearer-token lookups, checks and decisions) from memory, under
/// the store's change version (ADR 0009). A request reads the current version once, one
/// primary-key read; an entry is used only when it was filled at that same version, and every
/// audited change in any replica (an approval, a revocation, a revoked token, a push) moves the
/// version, so no cached answer outlives the change that overtook it. A request whose version
/// cannot be read fails: closed, never stale.
/// </summary>
internal sealed class DecisionCache(IGatehouseStore store, TimeProvider time, Hosting.GatehouseOptions options)
{
    // Bounds, not targets: past either one a table drops its entries of older versions, then a
    // random quarter, and refills from the store (ADR 0043). Names are
    // checked against the manifest rules before they get here (at most ~300 characters a key), and
    // only answers backed by a request are kept, so made-up names never take room (issue 9).
    private const int MaxTokens = 10_000;
    private const int MaxChecks = 100_000;
    private const long MaxTokenBytes = 8L << 20;
    private const long MaxStateBytes = 64L << 20;
    private const long MaxApproverBytes = 16L << 20;

    private readonly VersionedTable<Identity.TokenDigest, CachedToken> _tokens = new("tokens", MaxTokens, MaxTokenBytes,
        static (_, token) => 32 + 160 + 200 + CacheSizes.Of(token.Token.Id) + (2 * CacheSizes.Of(token.Token.Subject.Name)) + CacheSizes.Of(token.Token.Description) + CacheSizes.Of(token.Token.CreatedBy),
        EqualityComparer<Identity.TokenDigest>.Default);

    // A state is kept with its grant's end, and taken at the clock on every answer (ADR 0023): a
    // version moves with changes, not with time, and an end passes without any change.
    private readonly VersionedTable<AccessKey, (AccessState State, long? RequestId, DateTimeOffset? ExpiresAt, long? PendingRequestId)> _states = new("access_states", MaxChecks, MaxStateBytes,
        static (key, _) => 56 + CacheSizes.Of(key.Consumer) + CacheSizes.Of(key.Provider) + CacheSizes.Of(key.Scope) + CacheSizes.Of(key.Environment),
        EqualityComparer<AccessKey>.Default);

    private readonly VersionedTable<string, IReadOnlyList<string>> _approvers = new("approvers", MaxChecks, MaxApproverBytes,
        static (provider, approvers) => CacheSizes.Of(provider) + CacheSizes.Of(approvers),
        StringComparer.Ordinal);

    private readonly ChangeConsistency _consistency = ConsistencyHeader.Default(options.Consistency);

    // The organisation's environments at one version: a failing check explains itself with their
    // policies (ADR 0031) on every call, and reading and parsing the organisation each time cost
    // five times the check itself.
    private EnvironmentsAt? _environments;

    // The version last answered at, with its header text (see Remember).
    private VersionText? _versionText;

    private long _hits;
    private long _misses;

    /// <summary>Answers served from memory since start (a token, or every access of a check).</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Answers that needed the store since start.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>The tables, for their size accounting (<c>/metrics</c>, tests).</summary>
    internal IEnumerable<(string Name, long Bytes, long MaxBytes)> Tables =>
        [(_tokens.Name, _tokens.Bytes, _tokens.MaxBytes), (_states.Name, _states.Bytes, _states.MaxBytes), (_approvers.Name, _approvers.Bytes, _approvers.MaxBytes)];

    /// <summary>
    /// The store's change version at the consistency the request asks (ADR 0033), taken once per
    /// request and shared by everything the request asks; the answer names it in
    /// <c>Gatehouse-Version</c>.
    /// </summary>
    public ValueTask<long> VersionAsync(HttpContext http)
    {
        if (http.Features.Get<VersionText>() is { } taken)
        {
            return new(taken.Version);
        }

        var consistency = _consistency;
        var asked = http.Request.Headers[ConsistencyHeader.Request];
        if (asked.Count > 0 && !ConsistencyHeader.TryParse(asked.ToString(), out consistency))
        {
            throw new InvalidConsistencyException(asked.ToString());
        }

        var pending = store.ChangeVersionAsync(consistency, http.RequestAborted);
        if (pending.IsCompletedSuccessfully)
        {
            Remember(http, pending.Result);
            return pending;
        }

        return AwaitAsync(http, pending);

        async ValueTask<long> AwaitAsync(HttpContext http, ValueTask<long> pending)
        {
            var version = await pending;
            Remember(http, version);
            return version;
        }
    }

    private void Remember(HttpContext http, long version)
    {
        // One text per version, shared by every request that answers at it: no number formatted
        // and no long boxed per request.
        var text = Volatile.Read(ref _versionText);
        if (text is null || text.Version != version)
        {
            text = new VersionText(version, version.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Volatile.Write(ref _versionText, text);
        }

        // A request feature rather than an item: the text is shared, so taking it costs the request
        // nothing, where the first item makes a dictionary (~0.5 KB) on every hot-path request.
        http.Features.Set(text);
        if (!http.Response.HasStarted)
        {
            http.Response.Headers[ConsistencyHeader.Response] = text.Text;
        }
    }

    private sealed record VersionText(long Version, Microsoft.Extensions.Primitives.StringValues Text);

    /// <summary>
    /// The live token whose secret has <paramref name="digest"/>, with the principal its requests
    /// share, or null. Only the digest of a secret is kept, never the secret; unknown secrets are
    /// not remembered, so a flood of guesses cannot grow memory.
    /// </summary>
    public ValueTask<CachedToken?> AuthenticateAsync(Identity.TokenDigest digest, ReadOnlyMemory<char> secret, long version, CancellationToken ct)
    {
        if (_tokens.TryGet(digest, version, out var cached))
        {
            Interlocked.Increment(ref _hits);
            return new(Live(cached));
        }

        return MissAsync(digest, secret, version, ct);
    }

    private async ValueTask<CachedToken?> MissAsync(Identity.TokenDigest digest, ReadOnlyMemory<char> secret, long version, CancellationToken ct)
    {
        Interlocked.Increment(ref _misses);
        if (await store.AuthenticateTokenAsync(secret.ToString(), ct) is not { } token)
        {
            return null;
        }

        var actor = token.Subject.Kind == TokenKind.Deploy ? new Actor(ActorKind.App, token.Subject.Name) : new Actor(ActorKind.User, token.Subject.Name);
        var cached = new CachedToken(token, (Identity.GatehousePrincipal)Identity.GatehouseClaims.Principal(actor, Identity.BearerTokenHandler.SchemeName, token.Id));
        _tokens.Put(digest, version, cached);
        return Live(cached);
    }

    // Expiry is a matter of time, not of a change: it is checked on every use.
    private CachedToken? Live(CachedToken cached) => cached.Token.ExpiresAt > time.GetUtcNow() ? cached : null;

    /// <summary>The environment named so in the organisation at <paramref name="version"/>, or null.</summary>
    public async ValueTask<Core.Organisations.EnvironmentDefinition?> EnvironmentAsync(string name, long version, CancellationToken ct)
    {
        var known = Volatile.Read(ref _environments);
        if (known is null || known.Version != version)
        {
            var organisation = await store.GetOrganisationAsync(ct);
            known = new EnvironmentsAt(version, organisation?.Organisation.Environments ?? []);
            Volatile.Write(ref _environments, known);
        }

        foreach (var environment in known.Environments)
        {
            if (environment.Name == name)
            {
                return environment;
            }
        }

        return null;
    }

    private sealed record EnvironmentsAt(long Version, IReadOnlyList<Core.Organisations.EnvironmentDefinition> Environments);

    /// <summary>A token as the cache keeps it: what the store answered, and the principal built from it once.</summary>
    internal sealed record CachedToken(TokenInfo Token, Identity.GatehousePrincipal Principal);

    /// <summary>The state of each access, in the order asked, with who can approve it.</summary>
    public async Task<IReadOnlyList<AccessCheck>> CheckAsync(IReadOnlyList<AccessKey> keys, long version, CancellationToken ct)
    {
        var results = new AccessCheck[keys.Count];
        var now = time.GetUtcNow();
        List<int>? missing = null;
        for (var i = 0; i < keys.Count; i++)
        {
            var key = keys[i];
            if (_states.TryGet(key, version, out var state) && _approvers.TryGet(key.Provider, version, out var approvers))
            {
                results[i] = new AccessCheck(key, state.State, state.RequestId, approvers)
                {
                    ExpiresAt = state.ExpiresAt,
                    PendingRequestId = state.PendingRequestId,
                }.At(now);
            }
            else
            {
                (missing ??= []).Add(i);
            }
        }

        Interlocked.Add(ref _hits, keys.Count - (missing?.Count ?? 0));
        if (missing is null)
        {
            return results;
        }

        Interlocked.Add(ref _misses, missing.Count);
        var fresh = await store.CheckAsync([.. missing.Select(i => keys[i])], ct);
        for (var j = 0; j < missing.Count; j++)
        {
            var check = fresh[j];
            results[missing[j]] = check.At(now);

            // "Not requested" is also the answer for every name the catalogue does not know: read
            // it from the store each time rather than let invented names fill memory.
            if (check.State != AccessState.NotRequested)
            {
                var key = SharedNames.Of(check.Key);
                _states.Put(key, version, (check.State, check.RequestId, check.ExpiresAt, check.PendingRequestId));
                _approvers.Put(key.Provider, version, check.Approvers);
            }
        }

        return results;
    }
}
