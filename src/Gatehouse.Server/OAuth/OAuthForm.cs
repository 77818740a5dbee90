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

        if (request.ContentType is not { } type || !MediaType(type).Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return (null, OAuthError.Request("the body must be application/x-www-form-urlencoded."));
        }

        if (request.ContentLength > MaxBodyBytes)
        {
            return (null, OAuthError.Request($"the request body is larger than {MaxBodyBytes} bytes."));
        }

        var buffer = ArrayPool<byte>.Shared.Rent(MaxBodyBytes + 1);
        var length = 0;
        try
        {
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
            // Secrets pass through this buffer: clear what was read into it before it goes back to
            // the pool (only that: the rest of the 16 KB was never written by this request).
            buffer.AsSpan(0, Math.Min(length, buffer.Length)).Clear();
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static ReadOnlySpan<char> MediaType(string contentType)
    {
        var semicolon = contentType.IndexOf(';', StringComparison.Ordinal);
        return (semicolon < 0 ? contentType.AsSpan() : contentType.AsSpan(0, semicolon)).Trim();
    }

    public static (Dictionary<string, string>? Form, OAuthError? Error) Parse(string body)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        HashSet<string>? sentEmpty = null; // names sent without a value: not in the form, still not to be repeated
        var rest = body.AsSpan();
        while (!rest.IsEmpty)
        {
            var ampersand = rest.IndexOf('&');
            var pair = ampersand < 0 ? rest : rest[..ampersand];
            rest = ampersand < 0 ? default : rest[(ampersand + 1)..];
            if (pair.IsEmpty)
            {
                continue;
            }

            var equals = pair.IndexOf('=');
            var name = Name(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? string.Empty : Decode(pair[(equals + 1)..]);
            if (name.Length is 0 or > MaxNameLength)
            {
                return (null, OAuthError.Request("a parameter name is empty or too long."));
            }

            if (form.ContainsKey(name) || sentEmpty?.Contains(name) == true)
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
            else
            {
                (sentEmpty ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);
            }
        }

        return (form, null);
    }

    /// <summary>A parameter name: the names OAuth defines come back as constants, without allocating.</summary>
    private static string Name(ReadOnlySpan<char> text) => text switch
    {
        "grant_type" => "grant_type",
        "scope" => "scope",
        "resource" => "resource",
        "audience" => "audience",
        "client_id" => "client_id",
        "client_secret" => "client_secret",
        "client_assertion" => "client_assertion",
        "client_assertion_type" => "client_assertion_type",
        "token" => "token",
        "token_type_hint" => "token_type_hint",
        _ => Decode(text),
    };

    private static string Decode(ReadOnlySpan<char> text) =>
        text.ContainsAny('%', '+') ? Uri.UnescapeDataString(text.ToString().Replace('+', ' ')) : text.ToString();
}
