using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Gatehouse.Server.Hosting;
using Gatehouse.Server.Observability;
using Gatehouse.Storage.OAuth;
using Microsoft.Extensions.Logging;

namespace Gatehouse.Server.OAuth;

/// <summary>
/// Authenticates the client of a token or introspection request by exactly one method
/// (RFC 6749 section 2.3): HTTP Basic, secret in the body, or a signed assertion (RFC 7523).
/// Every failure has the same description, so a caller cannot tell an unknown client from a
/// wrong secret; the secret is compared as a SHA-256 hash in constant time. A failure is logged at
/// warning level with the address and the client id claimed (never a secret or an assertion) and
/// counted in <c>/metrics</c>; an authenticated client then draws on its own rate limit (ADR 0013).
/// A secret that verified is remembered as its SHA-256 digest (what the store holds anyway; never
/// the secret) under the change version it was verified at: the same secret at the same version
/// is accepted after one hash and one constant-time comparison (ADR 0036). A rotated or revoked
/// client moves the version, so the next request goes the full way and is refused.
/// </summary>
internal sealed class ClientAuthenticator(
    AccessCache cache, ClientAssertionValidator assertions, IdentityRateLimiter limits, SecurityMetrics metrics, TimeProvider time, ILogger<ClientAuthenticator> logger)
{
    public const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private const string Failed = "client authentication failed.";

    /// <summary>Clients whose verified secret is remembered at most; when full the memory starts over.</summary>
    internal const int MaxVerifiedSecrets = 10_000;

    private readonly ConcurrentDictionary<string, VerifiedSecret> _verified = new(StringComparer.Ordinal);

    /// <summary>A client's current secret, as the digest that verified, at the change version it was read at.</summary>
    private sealed record VerifiedSecret(long Version, byte[] Digest, OAuthClient Client);

    /// <summary>How many clients have a remembered verification (for tests).</summary>
    internal int VerifiedSecrets => _verified.Count;

    public async Task<(OAuthClient? Client, OAuthError? Error)> AuthenticateAsync(HttpRequest request, IReadOnlyDictionary<string, string> form, IReadOnlyCollection<string> audiences, long version, CancellationToken ct)
    {
        var (client, error) = await AuthenticateClientAsync(request, form, audiences, version, ct);
        if (error is { Error: OAuthError.InvalidClient })
        {
            metrics.Failed(AuthenticationFailure.OAuthClient);
            logger.LogWarning("OAuth client authentication failed at {Path} from {Address} for client {ClientId}: {Reason}",
                request.Path.Value, request.HttpContext.Connection.RemoteIpAddress, ClaimedId(request, form), error.Description);
            return (null, error);
        }

        if (client is not null && !limits.TryClient(client.Id, out var retryAfter))
        {
            metrics.Limited(RateLimitKind.OAuthClient);
            return (null, OAuthError.TooManyRequests(
                $"too many requests from client {client.Id} (limit {limits.Options.OAuthClient}); reuse a token until it expires, and retry after {RateLimitAnswers.Seconds(retryAfter)} s.", retryAfter));
        }

        if (client is not null)
        {
            request.HttpContext.Features.Set(new Observability.AccessLogActor("client:" + client.Id));
        }

        return (client, error);
    }

    /// <summary>The client id a failed request claimed, for the log: from the body or the Basic header.</summary>
    private static string ClaimedId(HttpRequest request, IReadOnlyDictionary<string, string> form)
    {
        var id = form.TryGetValue("client_id", out var fromForm) ? fromForm
            : TryReadBasic(request.Headers.Authorization.ToString(), out var fromHeader, out _) ? fromHeader
            : "(not given)";
        return id.Length <= 128 && !id.Any(char.IsControl) ? id : "(malformed)";
    }

    private async Task<(OAuthClient? Client, OAuthError? Error)> AuthenticateClientAsync(HttpRequest request, IReadOnlyDictionary<string, string> form, IReadOnlyCollection<string> audiences, long version, CancellationToken ct)
    {
        string? header = request.Headers.Authorization;
        var usesBasic = !string.IsNullOrEmpty(header);
        var usesPost = form.ContainsKey("client_secret");
        var usesJwt = form.ContainsKey("client_assertion") || form.ContainsKey("client_assertion_type");
        var methods = (usesBasic ? 1 : 0) + (usesPost ? 1 : 0) + (usesJwt ? 1 : 0);
        if (methods > 1)
        {
            return (null, OAuthError.Request("use exactly one client authentication method (Basic, client_secret, or client_assertion)."));
        }

        form.TryGetValue("client_id", out var formClientId);
        if (usesBasic)
        {
            if (!TryReadBasic(header!, out var id, out var secret))
            {
                return (null, OAuthError.Client("send `Authorization: Basic base64(client_id:client_secret)`.", basic: true));
            }

            if (formClientId is not null && formClientId != id)
            {
                return (null, OAuthError.Request("`client_id` in the body differs from the one in the Authorization header."));
            }

            return await CheckSecretAsync(id, secret, basic: true, version, ct);
        }

        if (usesPost)
        {
            return formClientId is null
                ? (null, OAuthError.Request("`client_secret` needs `client_id`."))
                : await CheckSecretAsync(formClientId, form["client_secret"], basic: false, version, ct);
        }

        if (usesJwt)
        {
            if (!form.TryGetValue("client_assertion_type", out var type) || type != AssertionType || !form.TryGetValue("client_assertion", out var assertion))
            {
                return (null, OAuthError.Request($"private_key_jwt needs `client_assertion` and `client_assertion_type={AssertionType}`."));
            }

            return await assertions.ValidateAsync(assertion, formClientId, audiences, version, ct);
        }

        return (null, OAuthError.Client("client authentication required: use client_secret_basic, client_secret_post or private_key_jwt.", basic: true));
    }

    private async Task<(OAuthClient?, OAuthError?)> CheckSecretAsync(string clientId, string secret, bool basic, long version, CancellationToken ct)
    {
        var presented = Digest(secret);
        if (_verified.TryGetValue(clientId, out var known) && known.Version == version && CryptographicOperations.FixedTimeEquals(presented, known.Digest))
        {
            return (known.Client, null); // this very secret verified at this very version: nothing has changed since
        }

        // A secret that fails its format or checksum is refused before the client is looked up.
        var client = clientId.Length <= 128 && Core.Secrets.SecretFormat.IsWellFormed(secret, Core.Secrets.SecretKind.ClientSecret)
            ? await cache.ClientAsync(clientId, version, ct)
            : null;
        var stored = client?.SecretHash is { Length: 64 } hex ? Convert.FromHexString(hex) : new byte[32];
        var matches = CryptographicOperations.FixedTimeEquals(presented, stored);
        var current = matches;

        // During a rotation with overlap (ADR 0018) the replaced secret works until its stated end.
        if (!matches && client?.PreviousSecretHash is { Length: 64 } previous && client.PreviousSecretValidAt(time.GetUtcNow()))
        {
            matches = CryptographicOperations.FixedTimeEquals(presented, Convert.FromHexString(previous));
        }

        if (!matches || client is not { IsActive: true, AuthMethod: ClientAuthMethod.ClientSecret })
        {
            return (null, OAuthError.Client(Failed, basic));
        }

        // Only the current secret is remembered: the replaced one depends on the clock, so it is checked in full each time.
        if (current)
        {
            if (!_verified.ContainsKey(clientId) && _verified.Count >= MaxVerifiedSecrets)
            {
                _verified.Clear();
            }

            _verified[clientId] = new VerifiedSecret(version, presented, client);
        }

        return (client, null);
    }

    private static byte[] Digest(string secret)
    {
        var digest = new byte[SHA256.HashSizeInBytes];
        if (secret.Length <= 256)
        {
            Span<byte> utf8 = stackalloc byte[256 * 3];
            var length = Encoding.UTF8.GetBytes(secret, utf8);
            SHA256.HashData(utf8[..length], digest);
            utf8[..length].Clear();
        }
        else
        {
            SHA256.HashData(Encoding.UTF8.GetBytes(secret), digest);
        }

        return digest;
    }

    /// <summary>RFC 6749 section 2.3.1: id and secret are form-encoded, then joined by a colon and base64-encoded.</summary>
    private static bool TryReadBasic(string header, out string id, out string secret)
    {
        id = secret = string.Empty;
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) || header.Length > 2048)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[2048];
        if (!Convert.TryFromBase64Chars(header.AsSpan(6).Trim(), bytes, out var length))
        {
            return false;
        }

        var text = bytes[..length];
        try
        {
            // ':' is ASCII, so its first byte is the first colon of the decoded text.
            var colon = text.IndexOf((byte)':');
            if (colon <= 0)
            {
                return false;
            }

            id = FormDecode(text[..colon]);
            secret = FormDecode(text[(colon + 1)..]);
            return secret.Length > 0;
        }
        finally
        {
            text.Clear(); // the secret was in it
        }
    }

    private static string FormDecode(ReadOnlySpan<byte> utf8)
    {
        var text = Encoding.UTF8.GetString(utf8);
        return text.AsSpan().ContainsAny('%', '+') ? Uri.UnescapeDataString(text.Replace('+', ' ')) : text;
    }
}
