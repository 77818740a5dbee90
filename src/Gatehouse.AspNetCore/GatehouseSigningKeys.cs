using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Tokens;

namespace Gatehouse.AspNetCore;

/// <summary>
/// The issuer's signing keys, read from its RFC 8414 metadata and JWKS, kept as JwtBearer's
/// ConfigurationManager keeps them: the first read is waited for; after that a request never
/// waits, since keys older than <see cref="GatehouseTokenOptions.KeysRefreshInterval"/> are
/// refreshed in the background while the last good ones keep validating, however long Gatehouse
/// stays unreachable. A token signed by a key not in the cache triggers one early refresh, at
/// most every 30 seconds, so a rotated key is picked up at once and a flood of bad tokens cannot
/// hammer Gatehouse. Only one read per authority is ever in flight.
/// </summary>
internal sealed partial class GatehouseSigningKeys(ILogger<GatehouseSigningKeys> logger)
{
    /// <summary>The least time between two reads that a request asked for (unknown kid, retry after a failure).</summary>
    internal static readonly TimeSpan MinimumRefresh = TimeSpan.FromSeconds(30);

    /// <summary>While no keys were ever read, how soon a failed first read may be tried again.</summary>
    internal static readonly TimeSpan FirstReadRetry = TimeSpan.FromSeconds(5);

    private static readonly HttpClient DefaultBackchannel = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly ConcurrentDictionary<string, Source> _sources = new(StringComparer.Ordinal);

    internal sealed record Keys(string Issuer, IReadOnlyList<SecurityKey> SigningKeys, DateTimeOffset LoadedAt);

    /// <summary>The keys to validate with now; throws <see cref="InvalidOperationException"/> only if none were ever read.</summary>
    public async ValueTask<Keys> GetAsync(GatehouseTokenOptions options, TimeProvider time, CancellationToken ct)
    {
        var source = SourceOf(options);
        if (source.Current is { } current)
        {
            if (time.GetUtcNow() - current.LoadedAt >= options.KeysRefreshInterval)
            {
                _ = source.TryRefresh(options, time, MinimumRefresh); // in the background: nobody waits for it
            }

            return current;
        }

        return (source.TryRefresh(options, time, FirstReadRetry) is { } first ? await first.WaitAsync(ct) : null)
            ?? throw new InvalidOperationException($"no signing keys have been read from {options.Authority} yet");
    }

    /// <summary>For a token whose kid is unknown: waits for a fresh read if one may be made now, else the keys as they are.</summary>
    public async ValueTask<Keys?> RefreshForUnknownKeyAsync(GatehouseTokenOptions options, TimeProvider time, CancellationToken ct)
    {
        var source = SourceOf(options);
        return source.TryRefresh(options, time, MinimumRefresh) is { } refresh ? await refresh.WaitAsync(ct) ?? source.Current : source.Current;
    }

    private Source SourceOf(GatehouseTokenOptions options) => _sources.GetOrAdd(options.Authority!.TrimEnd('/'), authority => new Source(authority, logger));

    private static async Task<Keys> ReadAsync(string authority, GatehouseTokenOptions options, TimeProvider time)
    {
        var http = options.Backchannel ?? DefaultBackchannel;
        var metadata = await http.GetFromJsonAsync<Metadata>(authority + "/.well-known/oauth-authorization-server")
            ?? throw new InvalidOperationException("empty authorization server metadata");
        if (metadata.Issuer?.TrimEnd('/') != authority || metadata.JwksUri is null)
        {
            // RFC 8414 section 3.3: the issuer in the metadata must be the one we asked.
            throw new InvalidOperationException($"Gatehouse metadata names issuer {metadata.Issuer}, not {authority}.");
        }

        if (options.RequireHttpsMetadata && !metadata.JwksUri.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Gatehouse metadata names a jwks_uri that is not HTTPS: {metadata.JwksUri}");
        }

        var keys = new JsonWebKeySet(await http.GetStringAsync(metadata.JwksUri)).GetSigningKeys();
        return keys.Count > 0
            ? new Keys(metadata.Issuer, [.. keys], time.GetUtcNow())
            : throw new InvalidOperationException("Gatehouse published no signing keys");
    }

    private sealed class Source(string authority, ILogger logger)
    {
        private readonly Lock _gate = new();
        private volatile Keys? _current;
        private Task<Keys?>? _pending;
        private DateTimeOffset _lastAttempt = DateTimeOffset.MinValue;

        public Keys? Current => _current;

        /// <summary>The read in flight, or a new one if the last attempt is at least <paramref name="gap"/> old; null when rate-limited.</summary>
        public Task<Keys?>? TryRefresh(GatehouseTokenOptions options, TimeProvider time, TimeSpan gap)
        {
            lock (_gate)
            {
                var now = time.GetUtcNow();
                if (_pending is null && now - _lastAttempt >= gap)
                {
                    _lastAttempt = now;
                    _pending = RunAsync(options, time);
                }

                return _pending;
            }
        }

        private async Task<Keys?> RunAsync(GatehouseTokenOptions options, TimeProvider time)
        {
            await Task.Yield(); // off the caller's thread, and never done before TryRefresh has stored it
            try
            {
                _current = await ReadAsync(authority, options, time);
                return _current;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException or System.Text.Json.JsonException or ArgumentException)
            {
                if (_current is { } kept)
                {
                    LogRefreshFailed(logger, authority, e.GetType().Name, kept.LoadedAt);
                }
                else
                {
                    LogReadFailed(logger, authority, e.GetType().Name);
                }

                return null;
            }
            finally
            {
                lock (_gate)
                {
                    _pending = null;
                }
            }
        }
    }

    [LoggerMessage(LogLevel.Warning, "Gatehouse keys from {Authority} could not be refreshed ({Error}); still validating with the keys read at {LoadedAt}")]
    private static partial void LogRefreshFailed(ILogger logger, string authority, string error, DateTimeOffset loadedAt);

    [LoggerMessage(LogLevel.Warning, "Gatehouse keys from {Authority} could not be read ({Error}); refusing tokens until they are")]
    private static partial void LogReadFailed(ILogger logger, string authority, string error);

    private sealed record Metadata(
        [property: JsonPropertyName("issuer")] string? Issuer,
        [property: JsonPropertyName("jwks_uri")] string? JwksUri);
}
