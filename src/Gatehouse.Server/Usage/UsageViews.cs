using Gatehouse.Core.Access;
using Gatehouse.Storage;
using Gatehouse.Storage.Usage;

namespace Gatehouse.Server.Usage;

/// <summary>
/// A grant as the API lists it: the grant, when it was last used (null: never, as far as the
/// flushed records go) and whether that makes it <see cref="Unused"/> (ADR 0024). Only an active
/// grant is ever unused: an ended one is not access anybody holds.
/// </summary>
internal sealed record GrantUsageView(
    long Id, long RequestId, AccessKey Key, GrantState State, string GrantedBy, DateTimeOffset GrantedAt,
    string? RevokedBy, DateTimeOffset? RevokedAt, string? RevokeReason, DateTimeOffset? ExpiresAt,
    DateTimeOffset? LastUsedAt, bool Unused, bool Emergency = false)
{
    public static async Task<IReadOnlyList<GrantUsageView>> ListAsync(IReadOnlyList<Grant> grants, IUsageStore usage, UsageOptions options, DateTimeOffset now, CancellationToken ct)
    {
        var lastUse = await usage.GrantLastUseAsync(grants.Select(g => g.Id), ct);
        return [.. grants.Select(g => From(g, lastUse.TryGetValue(g.Id, out var at) ? at : null, options, now))];
    }

    public static GrantUsageView From(Grant g, DateTimeOffset? lastUsedAt, UsageOptions options, DateTimeOffset now) => new(
        g.Id, g.RequestId, g.Key, g.State, g.GrantedBy, g.GrantedAt, g.RevokedBy, g.RevokedAt, g.RevokeReason, g.ExpiresAt,
        lastUsedAt, g.State == GrantState.Active && options.IsUnused(g.GrantedAt, lastUsedAt, now), g.Emergency);
}

/// <summary>A personal or deploy token as the API lists it: its metadata and when it last authenticated a request.</summary>
internal sealed record TokenUsageView(
    string Id, TokenSubject Subject, string? Description, DateTimeOffset CreatedAt, string CreatedBy,
    DateTimeOffset ExpiresAt, DateTimeOffset? RevokedAt, bool CreatorRemoved, DateTimeOffset? LastUsedAt)
{
    public static async Task<IReadOnlyList<TokenUsageView>> ListAsync(IReadOnlyList<TokenInfo> tokens, IUsageStore usage, CancellationToken ct)
    {
        var lastUse = await usage.TokenLastUseAsync(tokens.Select(t => t.Id), ct);
        return [.. tokens.Select(t => new TokenUsageView(t.Id, t.Subject, t.Description, t.CreatedAt, t.CreatedBy, t.ExpiresAt, t.RevokedAt, t.CreatorRemoved,
            lastUse.TryGetValue(t.Id, out var use) ? use.At : null))];
    }
}
