using System.Buffers;
using System.Text;

namespace Gatehouse.Server.OAuth;

/// <summary>
/// Reads an <c>application/x-www-form-urlencoded</c> OAuth request strictly: a repeated or
/// oversized parameter is an <c>invalid_request</c>, never silently dropped or truncated
/// (RFC 6749 section 3.2: "Request and response parameters MUST NOT be included more than once").
/// Parameters in the query string are refused, since secrets there end up in access logs.
/// </summary>
internal static class OAuthForm
{
    public const int MaxBodyBytes = 16 * 1024;
    public const int MaxValueLength = 4096;
    /// <summary>For the JWT-valued parameters, <c>client_assertion</c> and <c>token</c>.</summary>
    public const int MaxJwtLength = 8192;
    private const int MaxNameLength = 128;

    public static async Task<(Dictionary<string, string>? Form, OAuthError? Error)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.QueryString.HasValue)
        {
            return (null, OAuthError.Request("send parameters in the request body, not in the URL."));
        }

        if (request.ContentType is not { } type || !type.Split(';')[0].Trim().Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return (null, OAuthError.Request("the body must be application/x-www-form-urlencoded."));
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, OAuthError.Request($"the request body is larger than {MaxBodyBytes} bytes."));
        }

        var buffer = ArrayPool<byte>.Shared.Rent(MaxBodyBytes + 1);
        try
        {
            var length = 0;
            int read;
            while (length <= MaxBodyBytes && (read = await request.Body.ReadAsync(buffer.AsMemory(length, MaxBodyBytes + 1 - length), ct)) > 0)
            {
                length += read;
            }

            return length > MaxBodyBytes
                ? (null, OAuthError.Request($"the request body is larger than {MaxBodyBytes} bytes."))
                : Parse(Encoding.UTF8.GetString(buffer, 0, length));
        }
        finally
        {
            // Secrets pass through this buffer: clear it before it goes back to the pool.
            ArrayPool<byte>.Shared.Return(buffer, clearArray: true);
        }
    }

    public static (Dictionary<string, string>? Form, OAuthError? Error) Parse(string body)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Decode(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : Decode(pair[(equals + 1)..]);
            if (name.Length is 0 or > MaxNameLength)
            {
                return (null, OAuthError.Request("a parameter name is empty or too long."));
            }

            if (!seen.Add(name))
            {
                return (null, OAuthError.Request($"the parameter `{name}` is repeated; send each parameter once."));
            }

            var limit = name is "client_assertion" or "token" ? MaxJwtLength : MaxValueLength;
            if (value.Length > limit)
            {
                return (null, OAuthError.Request($"the parameter `{name}` is longer than {limit} characters."));
            }

            // RFC 6749 section 3.1: a parameter sent without a value is treated as omitted.
            if (value.Length > 0)
            {
                form[name] = value;
            }
        }

        return (form, null);
    }

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
