using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.AspNetCore;

/// <summary>
/// Reads the issuer's RFC 8414 metadata and JWKS and caches them. A token signed by a key not in
/// the cache triggers one early re-read (at most every 30 seconds), so a rotated key is picked
/// up without a restart and a flood of bad tokens cannot hammer Gatehouse.
/// </summary>
internal sealed class GatehouseSigningKeys
{
    private static readonly TimeSpan MinimumRefresh = TimeSpan.FromSeconds(30);
    private static readonly HttpClient DefaultBackchannel = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    internal sealed record Keys(string Issuer, IReadOnlyList<SecurityKey> SigningKeys, DateTimeOffset LoadedAt);

    // One per authority for the life of the process; the semaphore never needs disposing.
#pragma warning disable CA1001
    private sealed class Entry
    {
        public readonly SemaphoreSlim Gate = new(1, 1);
        public volatile Keys? Current;
    }
#pragma warning restore CA1001

    public async Task<Keys> GetAsync(GatehouseTokenOptions options, bool unknownKid, CancellationToken ct)
    {
        var authority = options.Authority!.TrimEnd('/');
        var entry = _entries.GetOrAdd(authority, _ => new Entry());
        var now = DateTimeOffset.UtcNow;
        if (entry.Current is { } fresh && now - fresh.LoadedAt < (unknownKid ? MinimumRefresh : options.KeysRefreshInterval))
        {
            return fresh;
        }

        await entry.Gate.WaitAsync(ct);
        try
        {
            if (entry.Current is { } other && DateTimeOffset.UtcNow - other.LoadedAt < MinimumRefresh)
            {
                return other;
            }

            var http = options.Backchannel ?? DefaultBackchannel;
            var metadata = await http.GetFromJsonAsync<Metadata>(authority + "/.well-known/oauth-authorization-server", ct)
                ?? throw new InvalidOperationException("empty authorization server metadata");
            if (metadata.Issuer?.TrimEnd('/') != authority || metadata.JwksUri is null)
            {
                // RFC 8414 section 3.3: the issuer in the metadata must be the one we asked.
                throw new InvalidOperationException($"Gatehouse metadata names issuer {metadata.Issuer}, not {authority}.");
            }

            var jwks = new JsonWebKeySet(await http.GetStringAsync(metadata.JwksUri, ct));
            entry.Current = new Keys(metadata.Issuer, [.. jwks.GetSigningKeys()], DateTimeOffset.UtcNow);
            return entry.Current;
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    private sealed record Metadata(
        [property: JsonPropertyName("issuer")] string? Issuer,
        [property: JsonPropertyName("jwks_uri")] string? JwksUri);
}
